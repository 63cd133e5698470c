import type { Metadata } from "next";
import Link from "next/link";
import { listOrganisationRequests } from "@/lib/requests/queries";
import { ButtonLink } from "../../_components/button";
import { Pagination } from "../../_components/pagination";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { StatusTag } from "../../_requests/request-tags";

export const metadata: Metadata = { title: "Our requests" };

// GET /portal/requests — the organisation's requests with their status (UAP-2.1, CC-4).
export default async function OurRequestsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const viewer = await viewPage("/portal/requests", { access: { audience: "provider", kind: "users", level: "read" } });
  const { database, config, clock } = await portal();
  const result = await listOrganisationRequests({
    db: database.db,
    clock,
    config,
    viewer,
    organisationId: viewer.organisationId,
    page: Number((await searchParams).page ?? "1") || 1,
  });
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Our requests</PageTitle>
      <ButtonLink href="/portal/requests/new">Make a request</ButtonLink>
      {result.rows.length === 0 ? (
        <p className="govuk-body">Your organisation has made no requests yet.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="our-requests">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {result.total} {result.total === 1 ? "request" : "requests"}
            {result.pageCount > 1 && `, page ${result.page} of ${result.pageCount}`}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Reference</th>
              <th scope="col" className="govuk-table__header">Request</th>
              <th scope="col" className="govuk-table__header">Received</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {result.rows.map((r) => (
              <tr key={r.id} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="Reference">
                  <Link className="govuk-link" href={`/portal/requests/${r.id}`}>
                    {r.reference}
                  </Link>
                </td>
                <td className="govuk-table__cell" data-label="Request">{r.title}</td>
                <td className="govuk-table__cell" data-label="Received">{formatDateTime(r.receivedAt)}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <StatusTag status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} href={(page) => `/portal/requests?page=${page}`} label="Request pages" previousText="Newer" nextText="Older" />
    </>
  );
}
