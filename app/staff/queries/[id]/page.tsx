import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { queryThreadDetail } from "@/lib/queries/queries";
import { queryReference, queryStatusNames, queryTopicNames } from "@/lib/queries/rules";
import { queryIdSchema } from "@/lib/queries/schema";
import { BackLink } from "../../../_components/back-link";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { portal } from "../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { MessageForm } from "../../../portal/queries/message-form";
import { OfficialRecordReminder, ThreadMessages } from "../../../portal/queries/thread-messages";
import { answerQueryAction } from "../actions";

export const metadata: Metadata = { title: "Query" };

// GET /staff/queries/[id] — one provider query, and the answer form (requests:read to read, requests:edit to answer).
export default async function StaffQueryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ sent?: string }> }) {
  const { id } = await params;
  const path = `/staff/queries/${id}`;
  const viewer = await viewPage(path, { access: { audience: "operator", kind: "requests", level: "read" } });
  const parsed = queryIdSchema.safeParse(id);
  const { database, config } = await portal();
  const detail = parsed.success
    ? await queryThreadDetail(database.db, viewer, parsed.data).catch((error: unknown) => {
        if (isAppError(error) && error.code === "not_found") return null;
        throw error;
      })
    : null;
  if (!detail) {
    await auditRefusal(viewer, { path });
    notFound();
  }
  const { thread, messages, individual, payment, organisationName } = detail;
  const reference = queryReference(thread.number);
  return (
    <>
      <BackLink href="/staff/queries" />
      {(await searchParams).sent && (
        <NotificationBanner type="success" heading="Answer sent">
          <p className="govuk-body">The provider has been emailed that {reference} has a reply.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={`${reference} · ${organisationName}`}>{thread.subject}</PageTitle>
      <SummaryList
        rows={[
          { key: "Organisation", value: organisationName },
          { key: "About", value: individual ? `${queryTopicNames.individual}: ${individual.fullName}` : payment ? `${queryTopicNames.payment}: ${payment.reference}, due ${payment.dueDate}` : queryTopicNames[thread.topic] },
          { key: "Status", value: queryStatusNames[thread.status] },
          { key: "Opened by", value: thread.openedByLabel },
        ]}
      />
      <h2 className="govuk-heading-m">Messages</h2>
      <ThreadMessages messages={messages} operatorName={config.operator.teamName} />
      {can(viewer, "requests", "edit") && (
        <>
          <h2 className="govuk-heading-m">Answer</h2>
          <OfficialRecordReminder />
          <MessageForm action={answerQueryAction} hidden={{ queryId: thread.id }} bodyLabel="Your answer" submitText="Send answer" />
        </>
      )}
    </>
  );
}
