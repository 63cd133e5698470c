import { sql } from "drizzle-orm";
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, accountStatuses } from "./accounts";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";
import { requests } from "./requests";

export const reviewDecisions = ["keep", "change_role", "suspend"] as const;

/**
 * A provider organisation's quarterly access review (UAP-4.2, UAP-4.3a): its Lead correspondent
 * decides, for every account, keep / change role / suspend, then signs it off. One per
 * organisation and review period, so opening the period's reviews twice opens them once.
 */
export const accessReviews = pgTable(
  "access_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The first and last calendar days of the period reviewed (a quarter by default). */
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    /** The last day to sign it off; overdue the day after. */
    dueOn: date("due_on", { mode: "string" }).notNull(),
    openedAt: at("opened_at").notNull(),
    signedOffAt: at("signed_off_at"),
    signedOffById: uuid("signed_off_by_id").references(() => accounts.id),
    signedOffByLabel: text("signed_off_by_label"),
    /** The nearest reminder already sent (days before the due date), so each is sent once. */
    lastReminderDays: integer("last_reminder_days"),
    lastReminderAt: at("last_reminder_at"),
    /** When the overdue review was escalated to staff (once). */
    escalatedAt: at("escalated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("access_reviews_period_key").on(t.organisationId, t.periodStart),
    /** The daily reminder and escalation sweeps read the reviews not yet signed off, by due date. */
    index("access_reviews_open_idx")
      .on(t.dueOn)
      .where(sql`${t.signedOffAt} is null`),
    check("access_reviews_period_check", sql`${t.periodStart} <= ${t.periodEnd} and ${t.periodStart} <= ${t.dueOn}`),
  ],
);

/**
 * One account in a review: what it looked like when the review opened (a snapshot, so the
 * review reads as the Lead saw it) and the Lead's decision. A change of role or a suspension
 * is made a request (`requestId`) in the same transaction as the decision.
 */
export const accessReviewItems = pgTable(
  "access_review_items",
  {
    reviewId: uuid("review_id")
      .notNull()
      .references(() => accessReviews.id),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    fullName: text("full_name").notNull(),
    email: text("email").notNull(),
    jobTitle: text("job_title"),
    status: text("status", { enum: accountStatuses }).notNull(),
    roleKeys: jsonb("role_keys").$type<string[]>().notNull().default([]),
    lastSignInAt: at("last_sign_in_at"),
    igTrainingDate: date("ig_training_date", { mode: "string" }),
    endDate: date("end_date", { mode: "string" }),
    decision: text("decision", { enum: reviewDecisions }),
    /** The new roles or the suspension reason, as decided. */
    decisionDetail: jsonb("decision_detail").$type<Record<string, unknown>>().notNull().default({}),
    decidedAt: at("decided_at"),
    decidedById: uuid("decided_by_id").references(() => accounts.id),
    decidedByLabel: text("decided_by_label"),
    requestId: uuid("request_id").references(() => requests.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.accountId] }),
    index("access_review_items_account_idx").on(t.accountId),
    check("access_review_items_decision_check", sql`${t.decision} is null or ${t.decision} in ('keep', 'change_role', 'suspend')`),
    check("access_review_items_request_check", sql`${t.requestId} is null or ${t.decision} in ('change_role', 'suspend')`),
  ],
);
