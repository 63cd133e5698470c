import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { queueDashboard } from "@/lib/requests/queries";
import { statusLabels, openStatuses } from "@/lib/requests/rules";
import { portal } from "../_lib/portal";
import { PageTitle } from "../_components/page-title";
import { viewPage } from "../_lib/viewer";

export const metadata: Metadata = { title: "Back office" };

// GET /staff — the back office's home for operator staff: the tools their role opens.
export default async function StaffHomePage() {
  const viewer = await viewPage("/staff");
  if (viewer.audience !== "operator") notFound();
  const { database, config, clock } = await portal();
  const dashboard = can(viewer, "requests") ? await queueDashboard({ db: database.db, clock, config, viewer }) : null;
  const tools = [
    can(viewer, "requests") && { href: "/staff/requests", title: "Requests", text: "The queue of requests from providers, with their SLA clocks." },
    can(viewer, "organisations") && { href: "/staff/organisations", title: "Organisations", text: "Provider organisations: onboarding and eligibility, the Lead correspondent, licences, closures and changes of ownership." },
    can(viewer, "requests", "edit") && { href: "/staff/sign-in-locks", title: "Sign-in locks", text: "Accounts and addresses locked after repeated failed sign-ins; lift a lock." },
    can(viewer, "audit") && { href: "/staff/audit", title: "Audit log", text: "Search everything that happened, see one account's activity, and export it." },
    can(viewer, "outbox") && { href: "/staff/outbox", title: "Outbox", text: "Every email the portal has sent or queued, such as set-up links and security reports." },
    can(viewer, "outbox") && { href: "/staff/slack", title: "Slack messages", text: "Messages the Slack bot could not post to the staff channel after retrying, and Try again." },
    can(viewer, "jobs") && { href: "/staff/jobs", title: "Jobs", text: "The scheduled jobs (inactivity and end-date suspensions, licence, SLA and training alerts), their last runs, and Run now." },
  ].filter((t): t is { href: string; title: string; text: string } => Boolean(t));
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Back office</PageTitle>
      {dashboard && (
        <section aria-labelledby="dashboard-heading" className="govuk-!-margin-bottom-6" data-testid="dashboard">
          <h2 className="govuk-heading-m" id="dashboard-heading">
            Requests today
          </h2>
          <ul className="portal-counts">
            <li>
              <Link className="govuk-link portal-count" href="/staff/requests">
                <span className="portal-count__number">{dashboard.open}</span> waiting for staff
              </Link>
            </li>
            <li>
              <Link className="govuk-link portal-count" href="/staff/requests?assignee=unassigned">
                <span className="portal-count__number">{dashboard.unassigned}</span> not assigned
              </Link>
            </li>
            <li>
              <Link className="govuk-link portal-count" href="/staff/requests?due=today">
                <span className="portal-count__number">{dashboard.dueToday}</span> due today
              </Link>
            </li>
            <li>
              <Link className={dashboard.overdue > 0 ? "govuk-link portal-count portal-count--alert" : "govuk-link portal-count"} href="/staff/requests?due=overdue">
                <span className="portal-count__number">{dashboard.overdue}</span> overdue
              </Link>
            </li>
          </ul>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Open requests by status</caption>
            <tbody className="govuk-table__body">
              {openStatuses.map((status) => (
                <tr key={status} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    {statusLabels[status]}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{dashboard.byStatus[status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="govuk-body" data-testid="sla-record">
            Last 30 days:{" "}
            {dashboard.sla30.total === 0
              ? "no requests actioned."
              : `${dashboard.sla30.within} of ${dashboard.sla30.total} requests actioned within the ${config.requests.slaWorkingDays}-working-day service level (${dashboard.sla30.percentWithin ?? 0}%); ${dashboard.sla30.late} late.`}
          </p>
        </section>
      )}
      {tools.length ? (
        <ul className="govuk-list">
          {tools.map((t) => (
            <li key={t.href} className="govuk-!-margin-bottom-4">
              <Link className="govuk-link govuk-link--no-visited-state govuk-!-font-weight-bold" href={t.href}>
                {t.title}
              </Link>
              <p className="govuk-body govuk-!-margin-bottom-0">{t.text}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">Your staff role opens no back-office tools. Ask a team lead if you need one.</p>
      )}
      <p className="govuk-body">
        <Link className="govuk-link" href="/account">
          Your account and sign-in details
        </Link>
      </p>
    </>
  );
}
