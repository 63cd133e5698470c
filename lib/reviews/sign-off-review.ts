import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accessReviewItems, accessReviews } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { serviceDay } from "../requests/rules";
import { alreadySignedOff, lockReview, requireReviewer } from "./reviewer";
import { canSignOff, isOverdue, periodLabel } from "./rules";

export interface SignOffReviewOptions {
  db: Executor;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  reviewId: string;
}

export interface SignedOffReview {
  reviewId: string;
  signedOffAt: Date;
  /** How many accounts were kept, had a change of role asked for, or a suspension. */
  decisions: { keep: number; change_role: number; suspend: number };
  /** Signed off after the due date (the review was overdue). */
  late: boolean;
}

/**
 * UAP-4.2: the Lead correspondent signs the review off — only once every account listed has a
 * decision. Audited (review.signed_off, with the tally); afterwards the review is a record and
 * no decision on it changes.
 */
export async function signOffReview(options: SignOffReviewOptions): Promise<SignedOffReview> {
  const { db, actor, clock, config, reviewId } = options;
  return db.transaction(async (tx) => {
    const review = await lockReview(tx, reviewId);
    const reviewer = await requireReviewer(tx, config, actor, review);
    if (review.signedOffAt) throw alreadySignedOff(review);

    const tally = await tx
      .select({ decision: accessReviewItems.decision, n: sql<number>`count(*)::int` })
      .from(accessReviewItems)
      .where(eq(accessReviewItems.reviewId, reviewId))
      .groupBy(accessReviewItems.decision);
    const decisions = { keep: 0, change_role: 0, suspend: 0 };
    let undecided = 0;
    for (const row of tally) {
      if (row.decision) decisions[row.decision] += row.n;
      else undecided += row.n;
    }
    const total = undecided + decisions.keep + decisions.change_role + decisions.suspend;
    if (!canSignOff({ total, decided: total - undecided })) {
      const message = `${undecided} ${undecided === 1 ? "account still needs" : "accounts still need"} a decision. Choose keep, change role or suspend for every account before signing off`;
      throw new AppError("refused", `review ${reviewId} has ${undecided} undecided accounts`, message, { signOff: message });
    }

    const now = clock.now();
    const late = isOverdue(review, serviceDay(now, config.requests.serviceHours.timeZone));
    await tx.update(accessReviews).set({ signedOffAt: now, signedOffById: reviewer.id, signedOffByLabel: reviewer.fullName, updatedAt: now }).where(eq(accessReviews.id, reviewId));
    await recordAudit(tx, actor, clock, {
      action: "review.signed_off",
      organisationId: review.organisationId,
      detail: { reviewId, period: periodLabel(review.periodStart, review.periodEnd), dueOn: review.dueOn, accounts: total, decisions, late },
    });
    return { reviewId, signedOffAt: now, decisions, late };
  });
}
