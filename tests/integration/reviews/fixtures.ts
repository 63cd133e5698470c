import { and, asc, eq, like } from "drizzle-orm";
import { tables } from "@/lib/db";
import type { Executor } from "@/lib/db/types";
import { openQuarterlyReviews } from "@/lib/reviews/open-quarterly-reviews";
import { BASE_URL, type RequestWorld } from "../requests/fixtures";

/** Shared set-up for the review tests: the request tests' world (the demo seed on a fixed clock), plus review look-ups. */

export { BASE_URL };

export async function openReviews(world: RequestWorld) {
  return openQuarterlyReviews({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL });
}

/** The organisation's review for the period starting `periodStart` (the current one when left out: the newest). */
export async function reviewOf(db: Executor, organisationId: string, periodStart?: string) {
  const rows = await db
    .select()
    .from(tables.accessReviews)
    .where(periodStart ? and(eq(tables.accessReviews.organisationId, organisationId), eq(tables.accessReviews.periodStart, periodStart)) : eq(tables.accessReviews.organisationId, organisationId))
    .orderBy(asc(tables.accessReviews.periodStart));
  const review = rows.at(-1);
  if (!review) throw new Error(`no review for ${organisationId}`);
  return review;
}

export async function itemsOf(db: Executor, reviewId: string) {
  return db.select().from(tables.accessReviewItems).where(eq(tables.accessReviewItems.reviewId, reviewId)).orderBy(asc(tables.accessReviewItems.fullName));
}

export async function itemOf(db: Executor, reviewId: string, accountId: string) {
  const [item] = await db
    .select()
    .from(tables.accessReviewItems)
    .where(and(eq(tables.accessReviewItems.reviewId, reviewId), eq(tables.accessReviewItems.accountId, accountId)));
  if (!item) throw new Error(`no item ${reviewId}/${accountId}`);
  return item;
}

/** Outbox messages of one kind (review_opened, review_reminder, review_overdue), oldest first. */
export async function mailOfKind(db: Executor, kind: string) {
  return db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, kind)).orderBy(asc(tables.outboundMessages.createdAt), asc(tables.outboundMessages.idempotencyKey));
}

/** Audit events whose action starts with the prefix, oldest first. */
export async function auditOf(db: Executor, actionPrefix: string) {
  return db.select().from(tables.auditEvents).where(like(tables.auditEvents.action, `${actionPrefix}%`)).orderBy(asc(tables.auditEvents.seq));
}
