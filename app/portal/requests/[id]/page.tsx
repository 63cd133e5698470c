import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { getRequestDetail } from "@/lib/requests/queries";
import { BackLink } from "../../../_components/back-link";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { RequestHistory } from "../../../_requests/request-history";
import { StatusTag } from "../../../_requests/request-tags";

export const metadata: Metadata = { title: "Request" };

// GET /portal/requests/:id — one of the organisation's requests: its status and history (the confirmation page after sending).
export default async function ProviderRequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ submitted?: string }> }) {
  const viewer = await viewPage(`/portal/requests/${(await params).id}`, { access: { audience: "provider", kind: "users", level: "read" } });
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const { database, config, clock } = await portal();
  let detail;
  try {
    detail = await getRequestDetail({ db: database.db, clock, config, viewer, requestId: id.data });
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "forbidden")) {
      // Another organisation's request looks exactly like no request, and the attempt is recorded (PRIV-1, AUP-5.2d).
      await auditRefusal(viewer, { path: `/portal/requests/${id.data}` });
      notFound();
    }
    throw error;
  }
  const { request } = detail;
  const submitted = (await searchParams).submitted;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/portal/requests">Our requests</BackLink>
        {submitted && (
          <div className="govuk-panel govuk-panel--confirmation" data-testid="request-sent">
            <h2 className="govuk-panel__title">Request sent</h2>
            <div className="govuk-panel__body">
              Your reference is
              <br />
              <strong>{request.reference}</strong>
            </div>
          </div>
        )}
        <PageTitle caption={request.reference}>{request.title}</PageTitle>
        {submitted && (
          <NotificationBanner heading="What happens next">
            <p className="govuk-body">
              {config.operator.teamName} will check the request and action it by {formatDateTime(request.dueAt)}. We have emailed you the reference.
            </p>
          </NotificationBanner>
        )}
        <SummaryList
          rows={[
            { key: "Status", value: <StatusTag status={request.status} /> },
            { key: "Received", value: formatDateTime(request.receivedAt) },
            { key: "Due", value: formatDateTime(request.dueAt) },
            ...(request.resolution ? [{ key: "Outcome", value: request.resolution }] : []),
          ]}
        />
        <h2 className="govuk-heading-m">History</h2>
        <RequestHistory history={detail.history} />
      </div>
    </div>
  );
}
