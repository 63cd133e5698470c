import type { Metadata } from "next";
import Link from "next/link";
import { countOutboxByStatus, isOutboundStatus, listOutbox, type OutboundStatus, type OutboxListItem } from "@/lib/mail/outbox-queries";
import { mailDeliveryConfigured } from "@/lib/mail/delivery-mode";
import { DEFAULT_DELIVERY_POLICY } from "@/lib/mail/rules";
import { Button } from "../../_components/button";
import { NotificationBanner } from "../../_components/notification-banner";
import { Pagination } from "../../_components/pagination";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { StatusTag, statusLabels } from "./status-tag";

export const metadata: Metadata = { title: "Outbox" };

const order: OutboundStatus[] = ["dead", "failed", "pending", "sending", "sent"];

// GET /staff/outbox[?status=dead][&page=2] — every outbound email, newest first, or those in one state.
export default async function OutboxPage({ searchParams }: { searchParams: Promise<{ page?: string; status?: string }> }) {
  await viewPage("/staff/outbox", { access: { audience: "operator", kind: "outbox", level: "read" } });
  const params = await searchParams;
  const status = isOutboundStatus(params.status) ? params.status : undefined;
  const { database } = await portal();
  const [{ items, total, page, pages }, counts] = await Promise.all([
    listOutbox(database.db, Number(params.page ?? "1") || 1, { status }),
    countOutboxByStatus(database.db),
  ]);
  const delivering = mailDeliveryConfigured();
  const pageHref = (n: number) => `/staff/outbox?${new URLSearchParams({ ...(status ? { status } : {}), page: String(n) })}`;
  return (
    <>
      {counts.dead > 0 && status !== "dead" && (
        <NotificationBanner heading={`${counts.dead} ${counts.dead === 1 ? "email was" : "emails were"} not delivered`}>
          <p className="govuk-body">
            The mail service refused {counts.dead === 1 ? "it" : "them"}, or every attempt failed.{" "}
            <Link className="govuk-notification-banner__link" href="/staff/outbox?status=dead">
              See the emails not delivered
            </Link>
            , find out why, and try again once the problem is fixed.
          </p>
        </NotificationBanner>
      )}
      <PageTitle caption="Back office">{status === "dead" ? "Emails not delivered" : "Outbox"}</PageTitle>
      {delivering ? (
        <p className="govuk-body">
          The mail service sends each email within a few seconds. If sending fails, the email is tried again after 1, 2, 4 … minutes (at most an
          hour apart). After {DEFAULT_DELIVERY_POLICY.maxAttempts} attempts — or at once if the mail service refuses the email itself — it is marked
          &ldquo;Not delivered&rdquo;: open it to see why and to try again.
        </p>
      ) : (
        <div className="govuk-inset-text">
          No mail service is configured, so emails are not sent: they wait here, and you can open each one to read it —
          including set-up links and one-time codes.
        </div>
      )}
      <form method="get" action="/staff/outbox" className="govuk-!-margin-bottom-6">
        <div className="govuk-form-group govuk-!-margin-bottom-3">
          <label className="govuk-label" htmlFor="status">
            Show
          </label>
          <select className="govuk-select" id="status" name="status" defaultValue={status ?? ""}>
            <option value="">All emails ({Object.values(counts).reduce((a, b) => a + b, 0)})</option>
            {order.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s].filter} ({counts[s]})
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" className="govuk-!-margin-bottom-0">
          Show emails
        </Button>
      </form>
      {items.length === 0 ? (
        <p className="govuk-body">{status ? `No emails are “${statusLabels[status].label.toLowerCase()}”.` : "No emails yet."}</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="outbox">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {total} {total === 1 ? "email" : "emails"}
            {status && ` ${statusLabels[status].label.toLowerCase()}`}
            {pages > 1 && `, page ${page} of ${pages}`}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Queued</th>
              <th scope="col" className="govuk-table__header">To</th>
              <th scope="col" className="govuk-table__header">Subject</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((m) => (
              <tr key={m.id} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="Queued">{formatDateTime(m.createdAt)}</td>
                <td className="govuk-table__cell portal-break-anywhere" data-label="To">{m.to.join(", ")}</td>
                <td className="govuk-table__cell" data-label="Subject">
                  <Link className="govuk-link" href={`/staff/outbox/${m.id}`}>{m.subject}</Link>
                </td>
                <td className="govuk-table__cell" data-label="Status">
                  <StatusTag status={m.status} />
                  <StatusNote message={m} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pages} href={pageHref} label="Outbox pages" previousText="Newer" nextText="Older" />
    </>
  );
}

/** Attempts and the next try, under the tag, for messages that have been tried. */
function StatusNote({ message }: { message: OutboxListItem }) {
  const attempts = `${message.attempts} ${message.attempts === 1 ? "attempt" : "attempts"}`;
  const note =
    message.status === "failed"
      ? `${attempts}; next at ${formatDateTime(message.nextAttemptAt)}`
      : message.status === "dead"
        ? attempts
        : message.status === "sent" && message.sentAt
          ? formatDateTime(message.sentAt)
          : null;
  return note && <span className="govuk-hint govuk-!-display-block govuk-!-font-size-16 govuk-!-margin-top-1 govuk-!-margin-bottom-0">{note}</span>;
}
