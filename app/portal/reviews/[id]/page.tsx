import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { reviewDetail, type ReviewItemView } from "@/lib/reviews/queries";
import { suspensionReasonLabels, suspensionReasons } from "@/lib/requests/schema";
import type { PortalConfig } from "@/lib/config";
import { BackLink } from "../../../_components/back-link";
import { formatDate } from "../../../_components/dates";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { saveReviewDecisions, signOff } from "../actions";
import { ReviewStandingTag } from "../review-standing-tag";
import { ReviewDecisionsForm, type ReviewFormItem } from "./review-decisions-form";
import { SignOffForm } from "./sign-off-form";

export const metadata: Metadata = { title: "Review of users" };

const statusLabels: Record<string, string> = { active: "Active", pending: "Waiting for set-up", suspended: "Suspended" };

function roleNames(config: PortalConfig, keys: readonly string[]): string {
  return keys.map((key) => config.securityRoles.find((r) => r.key === key)?.name ?? key).join(", ") || "None";
}

/** The account as the review listed it, worded for people. */
function facts(config: PortalConfig, item: ReviewItemView): [string, string][] {
  return [
    ["Email", item.email],
    ...(item.jobTitle ? [["Job title", item.jobTitle] as [string, string]] : []),
    ["Status", statusLabels[item.status] ?? item.status],
    ["Security role", roleNames(config, item.roleKeys)],
    ["Last signed in", item.lastSignInAt ? formatDateTime(item.lastSignInAt) : "Never"],
    ["IG training", item.igTrainingDate ? formatDate(item.igTrainingDate) : "Not recorded"],
    ["End date", item.endDate ? formatDate(item.endDate) : "None"],
  ];
}

/** A decision as the Lead correspondent reads it back. */
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
      return "No decision";
  }
}

// GET /portal/reviews/:id — one quarterly review: every account with keep / change role / suspend, then sign-off (UAP-4.2).
export default async function ReviewPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string; signed?: string }> }) {
  const raw = (await params).id;
  const viewer = await viewPage(`/portal/reviews/${raw}`, { access: { audience: "provider", kind: "users", level: "edit" } });
  const id = z.uuid().safeParse(raw);
  if (!id.success) notFound();
  const { database, config, clock } = await portal();
  let detail;
  try {
    detail = await reviewDetail({ db: database.db, clock, config, reviewId: id.data, organisationId: viewer.organisationId });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      // Another organisation's review looks exactly like no review, and the attempt is recorded (AUP-5.2d).
      await auditRefusal(viewer, { path: `/portal/reviews/${id.data}` });
      notFound();
    }
    throw error;
  }
  const { review, items } = detail;
  const query = await searchParams;
  const signedOff = Boolean(review.signedOffAt);
  const undecided = review.total - review.decided;
  const leadRole = config.securityRoles.find((r) => r.key === config.leadRoleKey)?.name ?? "Lead correspondent";

  const formItems: ReviewFormItem[] = items.map((item) => ({
    accountId: item.accountId,
    fullName: item.fullName,
    facts: facts(config, item),
    decision: item.decision,
    choices: item.choices,
    keepHint:
      item.choices.length > 1
        ? null
        : item.status === "suspended"
          ? "The account stays suspended. To bring it back, the person asks us by email."
          : `This is the ${leadRole}'s account. To hand the role over, ask for a change of ${leadRole}.`,
    settled: item.request ? { text: decisionText(config, item), reference: item.request.reference, href: `/portal/requests/${item.request.id}` } : null,
    currentRoleKeys: item.roleKeys,
  }));
  const roles = config.securityRoles
    .filter((r) => r.audience === "provider" && r.key !== config.leadRoleKey)
    .map((r) => ({ key: r.key, name: r.name, description: r.description, clinical: r.clinical }));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/portal/reviews">Reviews of our users</BackLink>
        {query.signed && signedOff && (
          <div className="govuk-panel govuk-panel--confirmation" data-testid="review-signed-off">
            <h2 className="govuk-panel__title">Review signed off</h2>
            <div className="govuk-panel__body">
              {review.organisationName}, {review.periodLabel}
            </div>
          </div>
        )}
        {query.saved && !signedOff && (
          <NotificationBanner type="success" heading="Your decisions have been saved">
            <p className="govuk-body">
              {undecided === 0
                ? "Every account has a decision. Sign the review off at the bottom of the page."
                : `${undecided} ${undecided === 1 ? "account still needs" : "accounts still need"} a decision.`}{" "}
              Changes of role and suspensions have been sent to {config.operator.teamName} as requests.
            </p>
          </NotificationBanner>
        )}
        <PageTitle caption={review.organisationName}>Review of users: {review.periodLabel}</PageTitle>
        <SummaryList
          rows={[
            { key: "Status", value: <ReviewStandingTag standing={review.standing} /> },
            { key: "Due by", value: formatDate(review.dueOn) },
            { key: "Accounts decided", value: `${review.decided} of ${review.total}` },
            ...(review.signedOffAt ? [{ key: "Signed off", value: `${formatDateTime(review.signedOffAt)} by ${review.signedOffByLabel ?? "the Lead correspondent"}` }] : []),
          ]}
        />
        {signedOff ? (
          <>
            <h2 className="govuk-heading-m">Decisions</h2>
            <table className="govuk-table portal-table--stack" data-testid="review-decisions">
              <caption className="govuk-visually-hidden">Decision on each account</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Name</th>
                  <th scope="col" className="govuk-table__header">Decision</th>
                  <th scope="col" className="govuk-table__header">Request</th>
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
                    <td className="govuk-table__cell" data-label="Decision">{decisionText(config, item)}</td>
                    <td className="govuk-table__cell" data-label="Request">
                      {item.request ? (
                        <Link className="govuk-link" href={`/portal/requests/${item.request.id}`}>
                          {item.request.reference}
                        </Link>
                      ) : (
                        "None"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <>
            <p className="govuk-body">
              Check each account below. Choose <strong>keep</strong> if the person still needs the access, <strong>change role</strong> if they
              need different access, or <strong>suspend</strong> if they no longer need it. Save your decisions as often as you like: changes of
              role and suspensions are sent to {config.operator.teamName} as requests when you save.
            </p>
            <ReviewDecisionsForm
              action={saveReviewDecisions}
              reviewId={review.id}
              items={formItems}
              roles={roles}
              suspensionReasons={suspensionReasons.map((value) => ({ value, label: suspensionReasonLabels[value] }))}
            />
            {detail.canSignOff ? (
              <SignOffForm action={signOff} reviewId={review.id} periodLabel={review.periodLabel} />
            ) : (
              <div className="govuk-inset-text" data-testid="sign-off-waiting">
                You can sign the review off once every account has a decision: {undecided} {undecided === 1 ? "account still needs" : "accounts still need"} one.
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}
