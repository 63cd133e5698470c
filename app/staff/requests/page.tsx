import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { listStaffAccounts } from "@/lib/accounts/list-staff-accounts";
import { requestStatuses, requestTypes } from "@/lib/db/schema/requests";
import { listProviderOrganisations } from "@/lib/organisations/list-organisations";
import { listQueue, queueSorts, type QueueFilters } from "@/lib/requests/queries";
import { statusLabels, typeLabels } from "@/lib/requests/rules";
import { Button } from "../../_components/button";
import { Pagination } from "../../_components/pagination";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { PriorityTag, SlaTag, StatusTag } from "../../_requests/request-tags";

export const metadata: Metadata = { title: "Requests" };

const queryShape = z.object({
  type: z.enum(requestTypes).optional().catch(undefined),
  status: z.union([z.enum(requestStatuses), z.enum(["open", "all"])]).optional().catch(undefined),
  organisation: z.uuid().optional().catch(undefined),
  assignee: z.union([z.uuid(), z.literal("unassigned")]).optional().catch(undefined),
  due: z.enum(["overdue", "today"]).optional().catch(undefined),
  sort: z.enum(queueSorts).optional().catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});

type Query = z.infer<typeof queryShape>;

function href(query: Query, change: Partial<Query>): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
  const text = params.toString();
  return text ? `/staff/requests?${text}` : "/staff/requests";
}

// GET /staff/requests — the back-office queue (UCP-HD-1): filter, sort, SLA standing (CC-5).
export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await viewPage("/staff/requests", { access: { audience: "operator", kind: "requests", level: "read" } });
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const query = queryShape.parse(raw);
  const { database, config, clock } = await portal();
  const filters: QueueFilters = { type: query.type, status: query.status ?? "open", organisationId: query.organisation, assigneeId: query.assignee, due: query.due };
  const [result, organisations, staff] = await Promise.all([
    listQueue({ db: database.db, clock, config, viewer, filters, sort: query.sort ?? "due", page: query.page ?? 1 }),
    listProviderOrganisations(database.db),
    listStaffAccounts(database.db),
  ]);
  const filtered = Object.entries(query).some(([k, v]) => k !== "page" && k !== "sort" && v !== undefined);

  return (
    <>
      <PageTitle caption="Back office">Requests</PageTitle>
      <details className="govuk-details" open={filtered}>
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Filter and sort</span>
        </summary>
        <div className="govuk-details__text">
          <form method="get" action="/staff/requests" className="portal-filters">
            <Select id="status" label="Status" value={query.status ?? "open"} options={[["open", "Waiting for staff"], ["all", "All"], ...requestStatuses.map((s): [string, string] => [s, statusLabels[s]])]} />
            <Select id="type" label="Type" value={query.type ?? ""} options={[["", "All types"], ...requestTypes.map((t): [string, string] => [t, typeLabels[t]])]} />
            <Select id="organisation" label="Organisation" value={query.organisation ?? ""} options={[["", "All organisations"], ...organisations.map((o): [string, string] => [o.id, o.name])]} />
            <Select id="assignee" label="Assigned to" value={query.assignee ?? ""} options={[["", "Anyone"], ["unassigned", "Nobody yet"], ...staff.map((s): [string, string] => [s.id, s.fullName])]} />
            <Select id="due" label="Due" value={query.due ?? ""} options={[["", "Any time"], ["today", "Due today"], ["overdue", "Overdue"]]} />
            <Select id="sort" label="Sort by" value={query.sort ?? "due"} options={[["due", "Due time, soonest first"], ["priority", "Priority, then due time"], ["received", "Received, newest first"]]} />
            <Button variant="secondary">Apply</Button>
          </form>
        </div>
      </details>

      {result.rows.length === 0 ? (
        <p className="govuk-body" data-testid="queue-empty">
          {filtered ? "No requests match these filters." : "No requests are waiting. Well done."}
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="queue">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {result.total} {result.total === 1 ? "request" : "requests"}
            {result.pageCount > 1 && `, page ${result.page} of ${result.pageCount}`}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Request</th>
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Due</th>
              <th scope="col" className="govuk-table__header">Assigned to</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {result.rows.map((r) => (
              <tr key={r.id} className="govuk-table__row" data-reference={r.reference}>
                <td className="govuk-table__cell" data-label="Request">
                  <Link className="govuk-link" href={`/staff/requests/${r.id}`}>
                    {r.reference}: {r.title}
                  </Link>
                  <br />
                  <PriorityTag priority={r.priority} /> <span className="govuk-body-s">via {r.channel}</span>
                </td>
                <td className="govuk-table__cell" data-label="Organisation">{r.organisationName}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <StatusTag status={r.status} />
                </td>
                <td className="govuk-table__cell" data-label="Due">
                  {formatDateTime(r.dueAt)}
                  <br />
                  <SlaTag sla={r.sla} />
                </td>
                <td className="govuk-table__cell" data-label="Assigned to">{r.assigneeName ?? "Nobody yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} href={(page) => href(query, { page })} label="Queue pages" />
    </>
  );
}

function Select({ id, label, value, options }: { id: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div className="govuk-form-group">
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <select className="govuk-select" id={id} name={id} defaultValue={value}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
