import { eq, sql } from "drizzle-orm";
import type { Actor } from "../audit/events";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { accessReviewItems, accessReviews } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export type ReviewRow = typeof accessReviews.$inferSelect;

/** The review, locked for this transaction: decisions and sign-off on one review happen one at a time. */
export async function lockReview(tx: Executor, reviewId: string): Promise<ReviewRow> {
  const [review] = await tx.select().from(accessReviews).where(eq(accessReviews.id, reviewId)).for("update");
  if (!review) throw reviewNotFound(reviewId);
  return review;
}

/** Raised when the review does not exist or belongs to another organisation (AUP-5.2d: the two look alike). */
export function reviewNotFound(reviewId: string): AppError {
  return new AppError("not_found", `review ${reviewId} not found`, "The review could not be found.");
}

/**
 * UAP-4.2, AUP-6.3: the review is the organisation's Lead correspondent's (or another
 * authoriser's) to do. Anyone from another organisation is told it does not exist.
 */
export async function requireReviewer(tx: Executor, config: PortalConfig, actor: Actor, review: ReviewRow): Promise<{ id: string; fullName: string }> {
  if (!actor.accountId) throw new AppError("forbidden", "a review decision needs a person", "Only your organisation's Lead correspondent can do the review.");
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, actor.accountId));
  if (!account || account.audience !== "provider" || account.organisationId !== review.organisationId) throw reviewNotFound(review.id);
  const roles = await tx.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, account.id));
  const authoriser = roles.some((r) => config.securityRoles.some((role) => role.key === r.roleKey && role.audience === "provider" && role.authoriser));
  if (account.status !== "active" || !authoriser) {
    throw new AppError("forbidden", `${account.email} is not an authoriser of the organisation`, "Only your organisation's Lead correspondent can do the review.");
  }
  return { id: account.id, fullName: account.fullName };
}

/** Raised once a review is signed off: it is a record, no longer changed. */
export function alreadySignedOff(review: ReviewRow): AppError {
  return new AppError("conflict", `review ${review.id} already signed off`, "This review has already been signed off, so it can no longer be changed.");
}

/** How many of the review's accounts still need a decision, and how many it lists. */
export async function decisionCounts(tx: Executor, reviewId: string): Promise<{ total: number; decided: number; undecided: number }> {
  const [row] = await tx
    .select({ total: sql<number>`count(*)::int`, undecided: sql<number>`count(*) filter (where ${accessReviewItems.decision} is null)::int` })
    .from(accessReviewItems)
    .where(eq(accessReviewItems.reviewId, reviewId));
  const total = row?.total ?? 0;
  const undecided = row?.undecided ?? 0;
  return { total, decided: total - undecided, undecided };
}
