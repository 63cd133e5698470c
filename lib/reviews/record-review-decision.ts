import { and, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { requests } from "../db/schema/requests";
import { accessReviewItems } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { formatReference, openStatuses } from "../requests/rules";
import { readPayload } from "../requests/schema";
import { submitRequest, type SubmittedRequest } from "../requests/submit-request";
import { parseOrThrow } from "../validation";
import { decisionCounts, lockReview, requireReviewer, alreadySignedOff } from "./reviewer";
import { periodLabel } from "./rules";
import { reviewDecisionInputSchema, type ReviewDecision, type ReviewDecisionInput } from "./schema";

export interface RecordReviewDecisionOptions {
  db: Executor;
  /** The Lead correspondent (or another authoriser) of the review's organisation. */
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  reviewId: string;
  /** The account the decision is about: one listed in the review. */
  accountId: string;
  /** { decision: "keep" } | { decision: "change_role", roleKeys, … } | { decision: "suspend", reason, reasonDetail } (lib/reviews/schema.ts). */
  input: ReviewDecisionInput | Record<string, unknown>;
}

export interface RecordedReviewDecision {
  reviewId: string;
  accountId: string;
  decision: ReviewDecision;
  /** The request a change of role or a suspension became. */
  request: Pick<SubmittedRequest, "requestId" | "reference" | "title"> | null;
  /** Accounts in the review still without a decision. */
  undecided: number;
}

/**
 * UAP-4.2: records the Lead correspondent's decision on one account of the review — keep,
 * change role or suspend. A change of role or a suspension becomes a request through
 * submitRequest (so it is checked, logged with its SLA and acknowledged exactly as if the Lead
 * had asked for it on its own) in the same transaction as the decision: either both are
 * recorded or neither. When the same change was already asked for and is still open, the
 * decision points at that request instead. A "keep" may be changed until sign-off; a decision
 * that became a request stands (the request can be followed up or rejected by staff).
 */
export async function recordReviewDecision(options: RecordReviewDecisionOptions): Promise<RecordedReviewDecision> {
  const { db, actor, clock, config, reviewId, accountId } = options;
  const input = parseOrThrow(reviewDecisionInputSchema, options.input, "There is a problem with the decision");

  return db.transaction(async (tx) => {
    const review = await lockReview(tx, reviewId);
    const reviewer = await requireReviewer(tx, config, actor, review);
    if (review.signedOffAt) throw alreadySignedOff(review);
    const [item] = await tx
      .select()
      .from(accessReviewItems)
      .where(and(eq(accessReviewItems.reviewId, reviewId), eq(accessReviewItems.accountId, accountId)));
    if (!item) {
      throw new AppError("not_found", `account ${accountId} is not in review ${reviewId}`, "That account is not part of this review.", { decision: "Select an account listed in the review" });
    }
    if (item.requestId) {
      const already = item.decision === "suspend" ? "suspension" : "change of role";
      const message = `A ${already} has already been asked for ${item.fullName} in this review`;
      throw new AppError("refused", `review item ${reviewId}/${accountId} already became a request`, message, { decision: message });
    }

    const label = periodLabel(review.periodStart, review.periodEnd);
    let request: Pick<SubmittedRequest, "requestId" | "number" | "title"> | null = null;
    let detail: Record<string, unknown> = {};
    if (input.decision === "change_role") {
      detail = { roleKeys: input.roleKeys, rolesBefore: item.roleKeys };
    } else if (input.decision === "suspend") {
      detail = { reason: input.reason, reasonDetail: input.reasonDetail };
    }
    if (input.decision !== "keep") {
      // The Lead may already have asked for this very change before the review: the decision
      // then points at that open request instead of being refused as a duplicate of it.
      request = await openRequestFor(tx, review.organisationId, accountId, input);
      if (request) detail.existingRequest = true;
      else if (input.decision === "change_role") {
        request = await submitRequest({
          db: tx,
          actor,
          clock,
          config,
          input: {
            type: "role_change",
            organisationId: review.organisationId,
            subjectAccountId: accountId,
            roleKeys: input.roleKeys,
            registrationBody: input.registrationBody ?? "",
            registrationNumber: input.registrationNumber ?? "",
            reason: `Quarterly review of users (${label})`,
          },
        });
      } else {
        request = await submitRequest({
          db: tx,
          actor,
          clock,
          config,
          input: { type: "suspension", organisationId: review.organisationId, subjectAccountId: accountId, reason: input.reason, reasonDetail: input.reasonDetail ?? "" },
        });
      }
    }

    const now = clock.now();
    await tx
      .update(accessReviewItems)
      .set({
        decision: input.decision,
        decisionDetail: detail,
        decidedAt: now,
        decidedById: reviewer.id,
        decidedByLabel: reviewer.fullName,
        requestId: request?.requestId ?? null,
        updatedAt: now,
      })
      .where(and(eq(accessReviewItems.reviewId, reviewId), eq(accessReviewItems.accountId, accountId)));

    await recordAudit(tx, actor, clock, {
      action: "review.decision_recorded",
      organisationId: review.organisationId,
      subjectAccountId: accountId,
      requestId: request?.requestId ?? null,
      detail: {
        reviewId,
        period: label,
        decision: input.decision,
        previousDecision: item.decision,
        ...detail,
        ...(request ? { reference: formatReference(request.number) } : {}),
      },
    });

    const counts = await decisionCounts(tx, reviewId);
    return {
      reviewId,
      accountId,
      decision: input.decision,
      request: request ? { requestId: request.requestId, reference: formatReference(request.number), title: request.title } : null,
      undecided: counts.undecided,
    };
  });
}

/**
 * An open request from before the review asking for the same change: a suspension of the
 * account, or a change to exactly the same roles. (A change to other roles is refused by
 * submitRequest as a duplicate: the open one has to be dealt with first.)
 */
async function openRequestFor(tx: Executor, organisationId: string, accountId: string, input: Exclude<ReviewDecisionInput, { decision: "keep" }>): Promise<Pick<SubmittedRequest, "requestId" | "number" | "title"> | null> {
  const type = input.decision === "suspend" ? "suspension" : "role_change";
  const open = await tx
    .select({ id: requests.id, number: requests.number, title: requests.title, payload: requests.payload })
    .from(requests)
    .where(and(eq(requests.organisationId, organisationId), eq(requests.subjectAccountId, accountId), eq(requests.type, type), inArray(requests.status, [...openStatuses])))
    .limit(1);
  const found = open[0];
  if (!found) return null;
  if (input.decision === "change_role") {
    const details = readPayload(found.payload).details;
    const asked = "roleKeys" in details ? [...details.roleKeys].sort().join(",") : "";
    if (asked !== [...input.roleKeys].sort().join(",")) return null;
  }
  return { requestId: found.id, number: found.number, title: found.title };
}
