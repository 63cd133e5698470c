import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { Button, ButtonLink } from "../../_components/button";
import { accountStatuses, listOrganisationAccountsPage, OUR_USERS_PAGE_SIZE } from "@/lib/accounts/list-organisation-accounts";
import { Pagination } from "../../_components/pagination";
import { formatDate } from "../../_components/dates";
import { PageTitle } from "../../_components/page-title";
import { Tag, type TagColour } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Our users" };

const statusTag: Record<string, { text: string; colour: TagColour }> = {
  active: { text: "Active", colour: "green" },
  pending: { text: "Waiting for set-up", colour: "blue" },
  suspended: { text: "Suspended", colour: "red" },
};

/** The page's query: anything malformed is ignored, never an error page. */
const queryShape = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(accountStatuses).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
type Query = z.infer<typeof queryShape>;

function href(query: Query, change: Partial<Query>): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
  const text = params.toString();
  return text ? `/portal/users?${text}` : "/portal/users";
}

/** The requests that make sense for an account in each state. */
function requestLinks(status: string): [string, string][] {
  if (status === "suspended") return [["reinstatement", "Reinstate"]];
  return [
    ["role_change", "Change role"],
    ["end_date_change", "Change end date"],
    ["suspension", "Suspend"],
  ];
}

// GET /portal/users — a Lead correspondent's view of every account in their organisation (UAP-2.3, PRIV-1),
// 50 a page with a search on name or email and a status filter (issue 4: 400 accounts in one table took 6× a plain page).
export default async function OurUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await viewPage("/portal/users", { access: { audience: "provider", kind: "users", level: "read" } });
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const query = queryShape.parse(raw);
  const { database, config } = await portal();
  const result = await listOrganisationAccountsPage(database.db, viewer.organisationId, { search: query.q, status: query.status, page: query.page });
  const people = result.accounts;
  const filtered = Boolean(query.q || query.status);
  const canRequest = can(viewer, "users", "edit");
  const roleName = (key: string) => config.securityRoles.find((r) => r.key === key)?.name ?? key;
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Our users</PageTitle>
      <p className="govuk-body">
        Everyone in {viewer.organisationName} with a portal account. To add someone, change a role or suspend an account, make a request:{" "}
        {config.operator.teamName} check and action it.
      </p>
      {can(viewer, "users", "edit") && (
        <div className="govuk-button-group">
          <ButtonLink href="/portal/requests/new/new_user">Ask for a new user</ButtonLink>
          <ButtonLink href="/portal/requests" variant="secondary">
            Our requests
          </ButtonLink>
        </div>
      )}
      <form method="get" action="/portal/users" className="portal-filters" role="search" aria-label="Find users">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="q">
            Name or email address
          </label>
          <input className="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" defaultValue={query.q ?? ""} spellCheck={false} autoComplete="off" />
        </div>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="status">
            Status
          </label>
          <select className="govuk-select" id="status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Any status</option>
            {accountStatuses.map((status) => (
              <option key={status} value={status}>
                {statusTag[status]?.text ?? status}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">Search</Button>
        {filtered && (
          <p className="govuk-body">
            <Link className="govuk-link" href="/portal/users">
              Show everyone
            </Link>
          </p>
        )}
      </form>
      {people.length === 0 ? (
        <p className="govuk-body" data-testid="our-users-empty">
          {filtered ? "No accounts match this search." : "Your organisation has no accounts yet."}
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="our-users">
          <caption className="govuk-table__caption govuk-table__caption--s" data-testid="our-users-total">
            {result.total} {result.total === 1 ? "account" : "accounts"}
            {filtered && " found"}
            {result.pageCount > 1 && `, showing ${(result.page - 1) * OUR_USERS_PAGE_SIZE + 1} to ${(result.page - 1) * OUR_USERS_PAGE_SIZE + people.length} (page ${result.page} of ${result.pageCount})`}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Name</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Security role</th>
              <th scope="col" className="govuk-table__header">Last signed in</th>
              <th scope="col" className="govuk-table__header">End date</th>
              <th scope="col" className="govuk-table__header">IG training</th>
              {canRequest && (
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Requests</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {people.map((p) => (
              <tr key={p.id} className="govuk-table__row" data-email={p.email}>
                <td className="govuk-table__cell" data-label="Name">
                  <span className="govuk-!-font-weight-bold">{p.fullName}</span>
                  <br />
                  <span className="govuk-body-s portal-break-anywhere">{p.email}</span>
                  {p.jobTitle && (
                    <>
                      <br />
                      <span className="govuk-body-s">{p.jobTitle}</span>
                    </>
                  )}
                </td>
                <td className="govuk-table__cell" data-label="Status">
                  <Tag colour={statusTag[p.status]?.colour}>{statusTag[p.status]?.text ?? p.status}</Tag>
                </td>
                <td className="govuk-table__cell" data-label="Security role">{p.roleKeys.map(roleName).join(", ") || "None"}</td>
                <td className="govuk-table__cell" data-label="Last signed in">{p.lastSignInAt ? formatDateTime(p.lastSignInAt) : "Never"}</td>
                <td className="govuk-table__cell" data-label="End date">{p.endDate ? formatDate(p.endDate) : "None"}</td>
                <td className="govuk-table__cell" data-label="IG training">{p.igTrainingDate ? formatDate(p.igTrainingDate) : "Not recorded"}</td>
                {canRequest && (
                  <td className="govuk-table__cell" data-label="Requests">
                    {p.id === viewer.accountId && <span className="govuk-body-s">Your own account</span>}
                    {p.id !== viewer.accountId && (
                      <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
                        {requestLinks(p.status).map(([type, text]) => (
                          <li key={type}>
                            <Link className="govuk-link" href={`/portal/requests/new/${type}?account=${p.id}`}>
                              {text}
                              <span className="govuk-visually-hidden"> for {p.fullName}</span>
                            </Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} href={(page) => href(query, { page })} label="Pages of users" />
    </>
  );
}
