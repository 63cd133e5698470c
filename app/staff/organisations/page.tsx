import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { organisationStatuses } from "@/lib/db/schema/organisations";
import { listOrganisations } from "@/lib/organisations/list-organisations";
import { formatCaseReference, organisationTypeLabels, statusLabels } from "@/lib/organisations/rules";
import { organisationListFilterSchema } from "@/lib/organisations/schema";
import { Button, ButtonLink } from "../../_components/button";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { OrganisationStatusTag } from "./organisation-tags";

export const metadata: Metadata = { title: "Organisations" };

// GET /staff/organisations — provider organisations with their status, filtered by status or name/ODS code (UAP-A.1).
export default async function OrganisationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await viewPage("/staff/organisations", { access: { audience: "operator", kind: "organisations", level: "read" } });
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = organisationListFilterSchema.parse(raw);
  const { database } = await portal();
  const { rows, counts } = await listOrganisations(database.db, filter);
  const filtered = Boolean(filter.status || filter.q);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);

  return (
    <>
      <PageTitle caption="Back office">Organisations</PageTitle>
      <p className="govuk-body">
        {total === 0
          ? "No provider organisations yet."
          : organisationStatuses
              .filter((s) => counts[s] > 0)
              .map((s) => `${counts[s]} ${statusLabels[s].toLowerCase()}`)
              .join(", ")}
      </p>
      {can(viewer, "organisations", "edit") && <ButtonLink href="/staff/organisations/new">Add an organisation</ButtonLink>}

      <form method="get" action="/staff/organisations" className="govuk-!-margin-bottom-6" role="search" aria-label="Filter organisations">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="status">
            Status
          </label>
          <select className="govuk-select" id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">All statuses</option>
            {organisationStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="q">
            Name or ODS code
          </label>
          <input className="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" defaultValue={filter.q ?? ""} />
        </div>
        <Button variant="secondary">Filter</Button>
      </form>

      {rows.length === 0 ? (
        <p className="govuk-body" data-testid="organisations-empty">
          {filtered ? (
            <>
              No organisations match. <Link className="govuk-link" href="/staff/organisations">Show all organisations</Link>
            </>
          ) : (
            "No provider organisations have been added yet."
          )}
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="organisations">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {rows.length} {rows.length === 1 ? "organisation" : "organisations"}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header">ODS code</th>
              <th scope="col" className="govuk-table__header">Type</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Accounts</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((r) => (
              <tr key={r.id} className="govuk-table__row" data-ods={r.odsCode}>
                <td className="govuk-table__cell" data-label="Organisation">
                  <Link className="govuk-link" href={`/staff/organisations/${r.id}`}>
                    {r.name}
                  </Link>
                  {r.openCaseNumber !== null && <span className="govuk-body-s"> · {formatCaseReference(r.openCaseNumber)} open</span>}
                </td>
                <td className="govuk-table__cell" data-label="ODS code">{r.odsCode}</td>
                <td className="govuk-table__cell" data-label="Type">{organisationTypeLabels[r.type] ?? r.type}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <OrganisationStatusTag status={r.status} />
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Accounts">{r.accounts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
