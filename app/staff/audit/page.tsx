import type { Metadata } from "next";
import Link from "next/link";
import { listOrganisationOptions } from "@/lib/audit/queries";
import { recordSearch } from "@/lib/audit/record-page-view";
import { searchAudit, type AuditSearchResult } from "@/lib/audit/search-audit";
import { AUDIT_TIME_ZONE, auditSearchParams, filterTerms, hasFilters, parseAuditSearch, type AuditFilters, type SearchParams } from "@/lib/audit/search-filters";
import { todayIn } from "../../_components/dates";
import { ErrorSummary } from "../../_components/error-summary";
import { dateFieldId } from "../../_components/form-fields";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { AuditEventsTable } from "./audit-events-table";
import { AuditPagination } from "./audit-pagination";
import { AuditSearchForm } from "./audit-search-form";

type Props = { searchParams: Promise<SearchParams> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  // GOV.UK: a page showing errors says so first in its title.
  return { title: parseAuditSearch(await searchParams).ok ? "Audit log" : "Error: Audit log" };
}

// GET /staff/audit — searches the audit log by person, organisation, action, channel and date
// (UAP-A.9), newest first, with links to export (CSV) or print the results (AUP-5.2f).
// Needs operator audit read. The view is logged with the viewer (PRIV-2a); the terms without (PRIV-2b).
export default async function AuditLogPage({ searchParams }: Props) {
  await viewPage("/staff/audit", { access: { audience: "operator", kind: "audit" } });
  const { database, clock } = await portal();
  const parsed = parseAuditSearch(await searchParams, todayIn(AUDIT_TIME_ZONE, clock.now()));
  // The form's organisations do not depend on the search: asked for at the same time.
  const [organisations, result] = await Promise.all([listOrganisationOptions(database.db), parsed.ok ? search(parsed.filters, parsed.page) : undefined]);

  return (
    <>
      <ErrorSummary fieldErrors={parsed.ok ? {} : parsed.fieldErrors} fieldIds={{ from: dateFieldId("from"), to: dateFieldId("to") }} />
      <PageTitle caption="Back office">Audit log</PageTitle>
      <p className="govuk-body">
        Every account created, suspended or amended, every sign-in, page viewed, export and print, newest first. Search by person,
        organisation, action, channel or date. Your searches are recorded without your name; exports and prints are recorded with it.
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <AuditSearchForm values={parsed.values} fieldErrors={parsed.ok ? {} : parsed.fieldErrors} organisations={organisations} />
        </div>
      </div>
      {parsed.ok && result && <Results filters={parsed.filters} result={result} />}
    </>
  );
}

/** The first page of a search records its terms (further pages are the same search), then searches. */
async function search(filters: AuditFilters, page: number): Promise<AuditSearchResult> {
  const { database, clock } = await portal();
  if (hasFilters(filters) && page === 1) await recordSearch(database.db, { clock, scope: "audit log", terms: filterTerms(filters) });
  return searchAudit(database.db, { ...filters, page });
}

function Results({ filters, result }: { filters: AuditFilters; result: AuditSearchResult }) {
  const { rows, total, totalIsLowerBound, page, hasNextPage, people, peopleTruncated } = result;
  const query = auditSearchParams(filters).toString();
  const searching = hasFilters(filters);
  const count = totalIsLowerBound ? `More than ${total.toLocaleString("en-GB")} events` : `${total.toLocaleString("en-GB")} ${total === 1 ? "event" : "events"}`;
  return (
    <section aria-labelledby="results-heading">
      <h2 className="govuk-heading-m" id="results-heading" data-testid="audit-total">
        {searching ? `${count} found` : count}
      </h2>
      {filters.person && people.length > 1 && (
        <p className="govuk-body">
          Events by or about {people.length}
          {peopleTruncated && " or more"} people whose name or email address contains “{filters.person}”.
        </p>
      )}
      {peopleTruncated && (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            More people match “{filters.person}” than one search covers. Type more of the name or email address.
          </strong>
        </div>
      )}
      {rows.length === 0 ? (
        <div data-testid="audit-empty">
          <p className="govuk-body">{page > 1 ? "There are no more events for this search." : "No events match your search."}</p>
          {filters.person && people.length === 0 && <p className="govuk-body">No account has an ID, email address or name matching “{filters.person}”.</p>}
          <p className="govuk-body">You could:</p>
          <ul className="govuk-list govuk-list--bullet">
            <li>check the spelling of the name or email address</li>
            <li>search a wider range of dates</li>
            <li>search for the start of an action, such as request. instead of request.approved</li>
          </ul>
          {page > 1 && (
            <p className="govuk-body">
              <Link className="govuk-link" href={`/staff/audit?${query}`} prefetch={false}>
                Go to the newest events
              </Link>
            </p>
          )}
        </div>
      ) : (
        <>
          <ul className="govuk-list govuk-!-display-none-print" data-testid="audit-actions">
            <li>
              {/* Plain links: each export and print is recorded (AUP-5.2f), so nothing may fetch them ahead of a click. */}
              <a className="govuk-link" href={`/staff/audit/export${query ? `?${query}` : ""}`} download>
                Export CSV
              </a>
            </li>
            <li>
              <a className="govuk-link" href={`/staff/audit/print${query ? `?${query}` : ""}`}>
                Print
              </a>
            </li>
          </ul>
          <AuditEventsTable rows={rows} caption={`Audit events, page ${page}`} />
          <AuditPagination
            page={page}
            hasNextPage={hasNextPage}
            label="Audit log pages"
            href={(p) => `/staff/audit?${auditSearchParams(filters, { page: p > 1 ? p : undefined }).toString()}`}
          />
        </>
      )}
    </section>
  );
}
