import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accessReviewItems } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { formatReference } from "../requests/rules";
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
 * recorded or neither. A "keep" may be changed until sign-off; a decision that became a
 * request stands (the request can be followed up or rejected by staff).
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
    let request: SubmittedRequest | null = null;
    let detail: Record<string, unknown> = {};
    if (input.decision === "change_role") {
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
      detail = { roleKeys: input.roleKeys, rolesBefore: item.roleKeys };
    } else if (input.decision === "suspend") {
      request = await submitRequest({
        db: tx,
        actor,
        clock,
        config,
        input: { type: "suspension", organisationId: review.organisationId, subjectAccountId: accountId, reason: input.reason, reasonDetail: input.reasonDetail ?? "" },
      });
      detail = { reason: input.reason, reasonDetail: input.reasonDetail };
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
        ...(request ? { reference: request.reference } : {}),
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
