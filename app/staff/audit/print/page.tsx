import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { printAudit, PRINT_LIMIT } from "@/lib/audit/export-audit";
import { listOrganisationOptions } from "@/lib/audit/queries";
import { auditSearchParams, parseAuditSearch, type AuditFilters, type SearchParams } from "@/lib/audit/search-filters";
import { channels } from "@/lib/db/schema/requests";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDate } from "../../../_components/dates";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { requireAccess } from "../../../_lib/viewer";
import { AuditEventsTable } from "../audit-events-table";
import { channelNames, formatEventTime } from "../audit-format";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Print audit log" };

// GET /staff/audit/print — an audit search laid out for paper (newest PRINT_LIMIT events).
// Needs operator audit read. Opening it records audit.printed with the filters and the number
// of events, in the transaction that reads them (AUP-5.2f).
export default async function PrintAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireAccess("operator", "audit", "read", "/staff/audit/print");
  const parsed = parseAuditSearch(await searchParams);
  // Bad filters: the search page shows what is wrong with them.
  if (!parsed.ok) redirect(`/staff/audit?${new URLSearchParams(flatten(await searchParams)).toString()}`);
  const { database, config, clock } = await portal();
  const printed = await printAudit({ db: database.db, actor: await webActor(config, viewer), clock, filters: parsed.filters });
  const query = auditSearchParams(parsed.filters).toString();
  const organisation = parsed.filters.organisationId ? (await listOrganisationOptions(database.db)).find((o) => o.id === parsed.filters.organisationId) : undefined;
  return (
    <>
      <div className="govuk-!-display-none-print">
        <BackLink href={`/staff/audit${query ? `?${query}` : ""}`}>Back to the search</BackLink>
      </div>
      <PageTitle caption={`Printed ${formatEventTime(clock.now())} by ${viewer.fullName}`}>Audit log</PageTitle>
      <SummaryList rows={describeFilters(parsed.filters, organisation?.name)} />
      <p className="govuk-body" data-testid="audit-total">
        {printed.truncated
          ? `The newest ${PRINT_LIMIT.toLocaleString("en-GB")} matching events. More events match: export them as CSV to see them all.`
          : `${printed.rows.length.toLocaleString("en-GB")} ${printed.rows.length === 1 ? "event" : "events"}.`}{" "}
        This printout is recorded in the audit log.
      </p>
      <PrintButton />
      {printed.rows.length === 0 ? (
        <p className="govuk-body" data-testid="audit-empty">
          No events match this search.
        </p>
      ) : (
        <AuditEventsTable rows={printed.rows} caption="Audit events" />
      )}
    </>
  );
}

/** The search, in words, at the top of the printout. */
function describeFilters(filters: AuditFilters, organisationName?: string) {
  const rows = [
    { key: "Person", value: filters.person },
    { key: "Organisation", value: filters.organisationId && (organisationName ?? filters.organisationId) },
    { key: "Action", value: filters.action },
    { key: "Channel", value: filters.channel && channels.includes(filters.channel) ? channelNames[filters.channel] : undefined },
    { key: "Date from", value: filters.from && formatDate(filters.from) },
    { key: "Date to", value: filters.to && formatDate(filters.to) },
  ].filter((row): row is { key: string; value: string } => Boolean(row.value));
  return rows.length ? rows.map((row) => ({ key: row.key, value: <span className="portal-break-anywhere">{row.value}</span> })) : [{ key: "Search", value: "All events" }];
}

function flatten(params: SearchParams): [string, string][] {
  return Object.entries(params).flatMap(([key, value]) => (Array.isArray(value) ? value.map((v) => [key, v] as [string, string]) : value === undefined ? [] : [[key, value] as [string, string]]));
}
