import type { Metadata } from "next";
import Link from "next/link";
import { reviewsForOrganisation } from "@/lib/reviews/queries";
import { formatDate } from "../../_components/dates";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { ReviewStandingTag } from "./review-standing-tag";

export const metadata: Metadata = { title: "Reviews of our users" };

// GET /portal/reviews — the Lead correspondent's quarterly reviews of their organisation's users, the current one first (UAP-4.2).
export default async function OurReviewsPage() {
  const viewer = await viewPage("/portal/reviews", { access: { audience: "provider", kind: "users", level: "edit" } });
  const { database, config, clock } = await portal();
  const reviews = await reviewsForOrganisation({ db: database.db, clock, config, organisationId: viewer.organisationId });
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Reviews of our users</PageTitle>
      <p className="govuk-body">
        Every quarter you check everyone in {viewer.organisationName} who has a portal account and tell {config.operator.teamName} whether to keep
        each account, change its security role or suspend it. Then you sign the review off.
      </p>
      {reviews.length === 0 ? (
        <p className="govuk-body" data-testid="no-reviews">
          There is no review for you to do yet. We will email you when the next one starts.
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="our-reviews">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {reviews.length} {reviews.length === 1 ? "review" : "reviews"}, the newest first
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Quarter</th>
              <th scope="col" className="govuk-table__header">Due by</th>
              <th scope="col" className="govuk-table__header">Accounts decided</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {reviews.map((r) => (
              <tr key={r.id} className="govuk-table__row" data-review={r.id}>
                <td className="govuk-table__cell" data-label="Quarter">
                  <Link className="govuk-link" href={`/portal/reviews/${r.id}`}>
                    {r.periodLabel}
                  </Link>
                </td>
                <td className="govuk-table__cell" data-label="Due by">{formatDate(r.dueOn)}</td>
                <td className="govuk-table__cell" data-label="Accounts decided">
                  {r.decided} of {r.total}
                </td>
                <td className="govuk-table__cell" data-label="Status">
                  <ReviewStandingTag standing={r.standing} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
