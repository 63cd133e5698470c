import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { getOutboundMessage } from "@/lib/mail/outbox-queries";
import { mailDeliveryConfigured } from "@/lib/mail/delivery-mode";
import { BackLink } from "../../../_components/back-link";
import { Button } from "../../../_components/button";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList, type SummaryRow } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { retryMessage } from "../actions";
import { StatusTag } from "../status-tag";

export const metadata: Metadata = { title: "Email" };

// GET /staff/outbox/:id[?retried=1|problem=not_dead] — one outbound email as its recipient gets it, and how its delivery went.
export default async function OutboundMessagePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ retried?: string; problem?: string }>;
}) {
  const viewer = await viewPage(`/staff/outbox/${(await params).id}`, { access: { audience: "operator", kind: "outbox", level: "read" } });
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const query = await searchParams;
  const { database } = await portal();
  const delivering = mailDeliveryConfigured();
  const message = await getOutboundMessage(database.db, id.data, { revealSensitive: !delivering });
  if (!message) notFound();
  const waiting = message.status === "pending" || message.status === "failed" || message.status === "sending";
  const rows: SummaryRow[] = [
    { key: "To", value: message.to.join(", ") },
    ...(message.cc.length ? [{ key: "Copied to", value: message.cc.join(", ") }] : []),
    { key: "Queued", value: formatDateTime(message.createdAt) },
    { key: "Status", value: <StatusTag status={message.status} /> },
    ...(message.sentAt ? [{ key: "Sent", value: formatDateTime(message.sentAt) }] : []),
    ...(message.attempts > 0 || message.status !== "pending" ? [{ key: "Attempts", value: String(message.attempts) }] : []),
    ...(waiting && delivering ? [{ key: message.status === "sending" ? "Tried again if no answer by" : "Next attempt", value: formatDateTime(message.nextAttemptAt) }] : []),
    ...(message.lastError ? [{ key: message.status === "sent" ? "Earlier error" : "Last error", value: <span className="portal-break-anywhere">{message.lastError}</span> }] : []),
    ...(message.providerMessageId ? [{ key: "Mail service reference", value: <span className="portal-break-anywhere">{message.providerMessageId}</span> }] : []),
  ];
  return (
    <>
      <BackLink href={message.status === "dead" ? "/staff/outbox?status=dead" : "/staff/outbox"}>Outbox</BackLink>
      {query.retried && (
        <NotificationBanner type="success" heading="Email queued again">
          <p className="govuk-body">
            {delivering ? "It will be sent within a few seconds, with a full set of attempts." : "It waits in the outbox: no mail service is configured."} The retry
            is in the audit log.
          </p>
        </NotificationBanner>
      )}
      {query.problem === "not_dead" && (
        <NotificationBanner heading="Nothing to retry">
          <p className="govuk-body">This email is no longer marked &ldquo;Not delivered&rdquo;: someone may have retried it already.</p>
        </NotificationBanner>
      )}
      <PageTitle caption="Outbox">{message.subject}</PageTitle>
      <SummaryList rows={rows} />
      {message.status === "dead" && can(viewer, "outbox", "edit") && (
        <form action={retryMessage} className="govuk-!-margin-bottom-6">
          <input type="hidden" name="messageId" value={message.id} />
          <p className="govuk-body">
            Check the last error first: if the mail service refused the address, the email will be refused again until the address is put right.
          </p>
          <Button>Try sending again</Button>
        </form>
      )}
      <h2 className="govuk-heading-m">Message</h2>
      <pre className="portal-email-body" data-testid="email-body">{message.text}</pre>
    </>
  );
}
