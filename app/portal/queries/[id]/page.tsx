import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { recordIndividualView } from "@/lib/care/record-care-access";
import { isAppError } from "@/lib/errors";
import { querySide } from "@/lib/queries/access";
import { queryThreadDetail } from "@/lib/queries/queries";
import { queryReference, queryStatusNames, queryTopicNames } from "@/lib/queries/rules";
import { queryIdSchema } from "@/lib/queries/schema";
import { BackLink } from "../../../_components/back-link";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { replyToQueryAction } from "../actions";
import { MessageForm } from "../message-form";
import { OfficialRecordReminder, ThreadMessages } from "../thread-messages";

export const metadata: Metadata = { title: "Query" };

// GET /portal/queries/[id] — one query thread of the viewer's organisation, and a reply (queries:read/edit; lib/queries decides).
export default async function QueryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ sent?: string }> }) {
  const { id } = await params;
  const path = `/portal/queries/${id}`;
  const viewer = await viewPage(path);
  const parsed = queryIdSchema.safeParse(id);
  const { database, config, clock } = await portal();
  const detail =
    viewer.audience === "provider" && parsed.success
      ? await queryThreadDetail(database.db, viewer, parsed.data).catch((error: unknown) => {
          if (isAppError(error) && error.code === "not_found") return null;
          throw error;
        })
      : null;
  if (!detail) {
    await auditRefusal(viewer, { path, kind: "queries" });
    notFound();
  }
  const { thread, messages, individual, payment } = detail;
  // PRIV-2a / CC-7e: opening a query about a person is a view of their record.
  if (individual) await recordIndividualView({ db: database.db, actor: await webActor(config, viewer), clock, viewer, individual, path });
  const canReply = querySide(viewer, thread, "edit") !== null;
  const reference = queryReference(thread.number);
  return (
    <>
      <BackLink href={thread.topic === "operator" ? "/portal/contacts" : "/portal/queries"} />
      {(await searchParams).sent && (
        <NotificationBanner type="success" heading="Message sent">
          <p className="govuk-body">It is in the operator&apos;s queue with the reference {reference}.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={`${reference} · ${viewer.organisationName}`}>{thread.subject}</PageTitle>
      <SummaryList
        rows={[
          { key: "About", value: individual ? `${queryTopicNames.individual}: ${individual.fullName}` : payment ? `${queryTopicNames.payment}: ${payment.reference}, due ${payment.dueDate}` : queryTopicNames[thread.topic] },
          { key: "Status", value: queryStatusNames[thread.status] },
          { key: "Opened by", value: thread.openedByLabel },
        ]}
      />
      <h2 className="govuk-heading-m">Messages</h2>
      <ThreadMessages messages={messages} operatorName={config.operator.teamName} />
      {canReply && (
        <>
          <h2 className="govuk-heading-m">Reply</h2>
          <OfficialRecordReminder />
          <MessageForm action={replyToQueryAction} hidden={{ queryId: thread.id }} bodyLabel="Your reply" submitText="Send reply" />
        </>
      )}
    </>
  );
}
