import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { quarterlyReport, type ReportAccount, type ReportOrganisation } from "@/lib/reviews/queries";
import { Button } from "../../_components/button";
import { formatDate } from "../../_components/dates";
import { NotificationBanner } from "../../_components/notification-banner";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { ReviewStandingTag } from "../../portal/reviews/review-standing-tag";
import { openReviewsNow } from "./actions";

export const metadata: Metadata = { title: "Quarterly review report" };

function Accounts({ list, why }: { list: ReportAccount[]; why: (a: ReportAccount) => string }) {
  if (list.length === 0) return <>0</>;
  return (
    <>
      <span className="govuk-!-font-weight-bold">{list.length}</span>
      <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
        {list.map((a) => (
          <li key={a.accountId}>
            <Link className="govuk-link" href={`/staff/audit/accounts/${a.accountId}`}>
              {a.fullName}
            </Link>{" "}
            <span className="portal-break-anywhere">({why(a)})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function LastReview({ organisation }: { organisation: ReportOrganisation }) {
  const review = organisation.lastReview;
  if (!review) return <>No review yet</>;
  return (
    <>
      <Link className="govuk-link" href={`/staff/reviews/${review.id}`}>
        {review.periodLabel}
        <span className="govuk-visually-hidden"> review of {organisation.name}</span>
      </Link>
      <br />
      <ReviewStandingTag standing={review.standing} />
      <br />
      <span className="govuk-body-s">
        {review.decided} of {review.total} decided
        {review.signedOffAt ? `, signed off ${formatDateTime(review.signedOffAt)}` : `, due by ${formatDate(review.dueOn)}`}
        {review.escalatedAt && !review.signedOffAt ? `, escalated ${formatDateTime(review.escalatedAt)}` : ""}
      </span>
    </>
  );
}

// GET /staff/reviews — the operator's quarterly review report (UAP-4.3a): per provider organisation, accounts
// needing attention and the standing of its latest review (UAP-4.2), overdue reviews first to the eye; CSV export.
export default async function QuarterlyReviewReportPage({ searchParams }: { searchParams: Promise<{ opened?: string }> }) {
  const viewer = await viewPage("/staff/reviews", { access: { audience: "operator", kind: "requests", level: "read" } });
  const { database, config, clock } = await portal();
  const report = await quarterlyReport({ db: database.db, clock, config });
  const opened = (await searchParams).opened;
  const openedCount = opened !== undefined && /^\d+$/.test(opened) ? Number(opened) : null;
  const overdue = report.organisations.filter((o) => o.lastReview?.standing === "overdue");
  const neverSignedIn = (a: ReportAccount) => (a.lastSignInAt ? `last signed in ${formatDateTime(a.lastSignInAt)}` : "never signed in");

  return (
    <>
      {openedCount !== null &&
        (openedCount > 0 ? (
          <NotificationBanner type="success" heading={`${openedCount} ${openedCount === 1 ? "review" : "reviews"} opened for ${report.period.label}`}>
            <p className="govuk-body">Each organisation&apos;s Lead correspondent has been emailed a link to their review.</p>
          </NotificationBanner>
        ) : (
          <NotificationBanner heading={`Every active organisation already has its review for ${report.period.label}`}>
            <p className="govuk-body">Nothing new was opened.</p>
          </NotificationBanner>
        ))}
      <PageTitle caption="Back office">Quarterly review report</PageTitle>
      <p className="govuk-body">
        Provider accounts that need attention on {formatDate(report.today)}, and each organisation&apos;s latest review of its users. The current
        review period is {report.period.label}, due by {formatDate(report.period.dueOn)}.
      </p>
      {overdue.length > 0 && (
        <NotificationBanner title="Overdue" titleId="overdue-title" heading={`${overdue.length} ${overdue.length === 1 ? "review is" : "reviews are"} overdue`}>
          <ul className="govuk-list govuk-list--bullet" data-testid="overdue-reviews">
            {overdue.map((o) => (
              <li key={o.organisationId}>
                <Link className="govuk-notification-banner__link" href={`/staff/reviews/${o.lastReview!.id}`}>
                  {o.name}: {o.lastReview!.periodLabel}, due by {formatDate(o.lastReview!.dueOn)}
                </Link>
              </li>
            ))}
          </ul>
        </NotificationBanner>
      )}
      <div className="govuk-button-group">
        {can(viewer, "requests", "edit") && (
          <form action={openReviewsNow}>
            <Button variant="secondary" className="govuk-!-margin-bottom-0">
              Open this quarter&apos;s reviews
            </Button>
          </form>
        )}
        {/* A plain link, not next/link: prefetching it would make (and audit) an export nobody asked for. */}
        <a className="govuk-link" href="/staff/reviews/export" download>
          Export CSV<span className="govuk-visually-hidden"> of the quarterly review report</span>
        </a>
      </div>
      {report.organisations.length === 0 ? (
        <p className="govuk-body">There are no provider organisations yet.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="review-report">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {report.organisations.length} provider {report.organisations.length === 1 ? "organisation" : "organisations"}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header">No sign-in in {report.idleDays} days</th>
              <th scope="col" className="govuk-table__header">No security role</th>
              <th scope="col" className="govuk-table__header">IG training expired</th>
              <th scope="col" className="govuk-table__header">End date passed</th>
              <th scope="col" className="govuk-table__header">Last review</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {report.organisations.map((o) => (
              <tr key={o.organisationId} className="govuk-table__row" data-organisation={o.name} data-overdue={o.lastReview?.standing === "overdue" ? "true" : undefined}>
                <th scope="row" className="govuk-table__header" data-label="Organisation">
                  {o.name}
                  <br />
                  <span className="govuk-body-s">
                    {o.odsCode}, {o.openAccounts} {o.openAccounts === 1 ? "account" : "accounts"} not suspended
                  </span>
                </th>
                <td className="govuk-table__cell" data-label={`No sign-in in ${report.idleDays} days`}>
                  <Accounts list={o.idle} why={neverSignedIn} />
                </td>
                <td className="govuk-table__cell" data-label="No security role">
                  <Accounts list={o.noRole} why={(a) => a.email} />
                </td>
                <td className="govuk-table__cell" data-label="IG training expired">
                  <Accounts list={o.trainingExpired} why={(a) => (a.igTrainingDate ? `trained ${formatDate(a.igTrainingDate)}` : "not recorded")} />
                </td>
                <td className="govuk-table__cell" data-label="End date passed">
                  <Accounts list={o.endDatePassed} why={(a) => `ended ${formatDate(a.endDate!)}`} />
                </td>
                <td className="govuk-table__cell" data-label="Last review">
                  <LastReview organisation={o} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="govuk-body-s">
        IG training counts as expired when it is older than {report.trainingValidityMonths} months (before {formatDate(report.trainingCutoff)}) or
        not recorded.
      </p>
    </>
  );
}
