import type { Metadata } from "next";
import Link from "next/link";
import { listOutbox } from "@/lib/mail/outbox-queries";
import { mailDeliveryConfigured } from "@/lib/mail/delivery-mode";
import { PageTitle } from "../../_components/page-title";
import { Tag } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { requireAccess } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Outbox" };

// GET /staff/outbox — every outbound email, newest first.
export default async function OutboxPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  await requireAccess("operator", "outbox", "read", "/staff/outbox");
  const { database } = await portal();
  const { items, total, page, pages } = await listOutbox(database.db, Number((await searchParams).page ?? "1") || 1);
  const delivering = mailDeliveryConfigured();
  return (
    <>
      <PageTitle caption="Back office">Outbox</PageTitle>
      {!delivering && (
        <div className="govuk-inset-text">
          No mail service is configured, so emails are not sent: they wait here, and you can open each one to read it —
          including set-up links and one-time codes.
        </div>
      )}
      {items.length === 0 ? (
        <p className="govuk-body">No emails yet.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="outbox">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {total} {total === 1 ? "email" : "emails"}
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
                  <Tag colour={m.status === "sent" ? "green" : m.status === "pending" ? "blue" : m.status === "dead" ? "red" : "yellow"}>{m.status}</Tag>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="govuk-pagination" aria-label="Outbox pages">
          {page > 1 && (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" href={`/staff/outbox?page=${page - 1}`} rel="prev">
                <span className="govuk-pagination__link-title">Newer</span>
              </Link>
            </div>
          )}
          {page < pages && (
            <div className="govuk-pagination__next">
              <Link className="govuk-link govuk-pagination__link" href={`/staff/outbox?page=${page + 1}`} rel="next">
                <span className="govuk-pagination__link-title">Older</span>
              </Link>
            </div>
          )}
        </nav>
      )}
    </>
  );
}
