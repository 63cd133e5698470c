import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { findImportBatch } from "@/lib/imports/import-batch";
import { NotificationBanner } from "../../../../_components/notification-banner";
import { formatDateTime } from "../../../../_lib/format-time";
import { portal } from "../../../../_lib/portal";
import { viewPage } from "../../../../_lib/viewer";

export const metadata: Metadata = { title: "Requests sent" };

// GET /portal/requests/bulk/submitted?batch= — the confirmation of a bulk user request, with every reference (UCP-BULK-1).
export default async function BulkSubmittedPage({ searchParams }: { searchParams: Promise<{ batch?: string }> }) {
  const viewer = await viewPage("/portal/requests/bulk/submitted", { access: { audience: "provider", kind: "users", level: "edit" } });
  const batchId = z.uuid().safeParse((await searchParams).batch);
  if (!batchId.success) notFound();
  const { database, config } = await portal();
  const batch = await findImportBatch(database.db, { batchId: batchId.data, accountId: viewer.accountId, organisationId: viewer.organisationId });
  if (!batch) notFound();
  const count = batch.requests.length;
  const first = batch.requests[0]?.reference;
  const last = batch.requests.at(-1)?.reference;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation" data-testid="bulk-sent">
          <h1 className="govuk-panel__title">{count === 1 ? "Request sent" : `${count} requests sent`}</h1>
          <div className="govuk-panel__body">
            {count === 1 ? "Your reference is" : "Your references are"}
            <br />
            <strong>{count === 1 ? first : `${first} to ${last}`}</strong>
          </div>
        </div>
        <NotificationBanner heading="What happens next">
          <p className="govuk-body">
            {config.operator.teamName} will check each request and set up the accounts. We have emailed you the references. Each new user gets their own
            email to set up their account once it is ready.
          </p>
        </NotificationBanner>
        <h2 className="govuk-heading-m">The requests from {batch.fileName ?? "your file"}</h2>
        <p className="govuk-body">Sent {formatDateTime(batch.occurredAt)}.</p>
        <table className="govuk-table portal-table--stack" data-testid="bulk-requests">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Requests sent from {batch.fileName ?? "your file"}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Reference</th>
              <th scope="col" className="govuk-table__header">Request</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Row</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {batch.requests.map((r) => (
              <tr key={r.requestId} className="govuk-table__row">
                <th scope="row" className="govuk-table__header" data-label="Reference">
                  <Link className="govuk-link" href={`/portal/requests/${r.requestId}`}>
                    {r.reference}
                  </Link>
                </th>
                <td className="govuk-table__cell" data-label="Request">
                  {r.title}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Row">
                  {r.row}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="govuk-body">
          <Link className="govuk-link" href="/portal/requests">
            See all your organisation&apos;s requests
          </Link>
        </p>
      </div>
    </div>
  );
}
