import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import type { PortalConfig } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { suspensionReasonLabels } from "@/lib/requests/schema";
import { reviewDetail, type ReviewItemView } from "@/lib/reviews/queries";
import { BackLink } from "../../../_components/back-link";
import { formatDate } from "../../../_components/dates";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { ReviewStandingTag } from "../../../portal/reviews/review-standing-tag";

export const metadata: Metadata = { title: "Review of users" };

const statusLabels: Record<string, string> = { active: "Active", pending: "Waiting for set-up", suspended: "Suspended" };

function roleNames(config: PortalConfig, keys: readonly string[]): string {
  return keys.map((key) => config.securityRoles.find((r) => r.key === key)?.name ?? key).join(", ") || "None";
}

function decisionText(config: PortalConfig, item: ReviewItemView): string {
  switch (item.decision) {
    case "keep":
      return "Keep";
    case "change_role":
      return `Change role to ${roleNames(config, (item.decisionDetail.roleKeys as string[] | undefined) ?? [])}`;
    case "suspend": {
      const reason = item.decisionDetail.reason as keyof typeof suspensionReasonLabels | undefined;
      return `Suspend${reason ? ` (${suspensionReasonLabels[reason] ?? reason})` : ""}`;
    }
    default:
      return "No decision yet";
  }
}

// GET /staff/reviews/:id — one provider's quarterly review as staff see it: every account and the Lead's decision (UAP-4.3a).
export default async function StaffReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  await viewPage(`/staff/reviews/${raw}`, { access: { audience: "operator", kind: "requests", level: "read" } });
  const id = z.uuid().safeParse(raw);
  if (!id.success) notFound();
  const { database, config, clock } = await portal();
  let detail;
  try {
    detail = await reviewDetail({ db: database.db, clock, config, reviewId: id.data });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const { review, items } = detail;
  return (
    <>
      <BackLink href="/staff/reviews">Quarterly review report</BackLink>
      <PageTitle caption={review.organisationName}>Review of users: {review.periodLabel}</PageTitle>
      <SummaryList
        rows={[
          { key: "Status", value: <ReviewStandingTag standing={review.standing} /> },
          { key: "Opened", value: formatDateTime(review.openedAt) },
          { key: "Due by", value: formatDate(review.dueOn) },
          { key: "Accounts decided", value: `${review.decided} of ${review.total}` },
          { key: "Signed off", value: review.signedOffAt ? `${formatDateTime(review.signedOffAt)} by ${review.signedOffByLabel ?? "the Lead correspondent"}` : "Not yet" },
          ...(review.escalatedAt ? [{ key: "Escalated to staff", value: formatDateTime(review.escalatedAt) }] : []),
        ]}
      />
      <table className="govuk-table portal-table--stack" data-testid="staff-review-items">
        <caption className="govuk-table__caption govuk-table__caption--s">Accounts as they stood when the review opened, and the decision on each</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Name</th>
            <th scope="col" className="govuk-table__header">Status</th>
            <th scope="col" className="govuk-table__header">Security role</th>
            <th scope="col" className="govuk-table__header">Last signed in</th>
            <th scope="col" className="govuk-table__header">Decision</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {items.map((item) => (
            <tr key={item.accountId} className="govuk-table__row">
              <td className="govuk-table__cell" data-label="Name">
                {item.fullName}
                <br />
                <span className="govuk-body-s portal-break-anywhere">{item.email}</span>
              </td>
              <td className="govuk-table__cell" data-label="Status">{statusLabels[item.status] ?? item.status}</td>
              <td className="govuk-table__cell" data-label="Security role">{roleNames(config, item.roleKeys)}</td>
              <td className="govuk-table__cell" data-label="Last signed in">{item.lastSignInAt ? formatDateTime(item.lastSignInAt) : "Never"}</td>
              <td className="govuk-table__cell" data-label="Decision">
                {decisionText(config, item)}
                {item.request && (
                  <>
                    {" "}
                    <Link className="govuk-link" href={`/staff/requests/${item.request.id}`}>
                      {item.request.reference}
                    </Link>
                  </>
                )}
                {item.decidedAt && (
                  <>
                    <br />
                    <span className="govuk-body-s">
                      {formatDateTime(item.decidedAt)}, {item.decidedByLabel}
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
