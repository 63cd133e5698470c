import { and, between, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { systemActor, type Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accessReviews } from "../db/schema/reviews";
import { queryRows, type Executor } from "../db/types";
import { serviceDay } from "../requests/rules";
import { reviewReminderMessage } from "./messages";
import { queueMessages } from "./queue-messages";
import { reviewFacts } from "./review-facts";
import { addDays, periodLabel, reminderDue } from "./rules";

export interface SendReviewRemindersOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  actor?: Actor;
}

export interface SendReviewRemindersSummary {
  today: string;
  /** Reviews reminded by this run, with the reminder sent (days before the due date). */
  reminded: number;
  reviews: { reviewId: string; organisationId: string; daysBefore: number; undecided: number }[];
}

/**
 * UAP-4.2: reminds the Lead correspondents of reviews not yet signed off, at each configured
 * number of days before the due date (14 and 7 by default), once each. The reminder due for a
 * review is worked out by the pure rule `reminderDue`; the reviews are then claimed in one
 * UPDATE that re-checks the last reminder sent, so a run repeated (or two runners at once)
 * reminds each review once per threshold.
 */
export async function sendReviewReminders(options: SendReviewRemindersOptions): Promise<SendReviewRemindersSummary> {
  const { db, clock, config, baseUrl } = options;
  const actor = options.actor ?? systemActor("job", "Quarterly reviews");
  const now = clock.now();
  const today = serviceDay(now, config.requests.serviceHours.timeZone);
  const days = config.accounts.reviewReminderDays;
  if (days.length === 0) return { today, reminded: 0, reviews: [] };

  return db.transaction(async (tx) => {
    const candidates = await tx
      .select({ id: accessReviews.id, dueOn: accessReviews.dueOn, lastReminderDays: accessReviews.lastReminderDays })
      .from(accessReviews)
      .where(and(isNull(accessReviews.signedOffAt), between(accessReviews.dueOn, today, addDays(today, Math.max(...days)))));
    const due = candidates.flatMap((c) => {
      const threshold = reminderDue(c.dueOn, today, days, c.lastReminderDays);
      return threshold === null ? [] : [{ id: c.id, threshold }];
    });
    if (due.length === 0) return { today, reminded: 0, reviews: [] };

    const at = now.toISOString();
    const claimed = await queryRows<{ id: string; organisation_id: string; due_on: string; period_start: string; period_end: string; threshold: number }>(
      tx,
      sql`update access_reviews r
          set last_reminder_days = v.threshold, last_reminder_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(due)}::jsonb) as v(id uuid, threshold int)
          where r.id = v.id and r.signed_off_at is null and (r.last_reminder_days is null or r.last_reminder_days > v.threshold)
          returning r.id, r.organisation_id, r.due_on::text as due_on, r.period_start::text as period_start, r.period_end::text as period_end, v.threshold`,
    );
    const facts = await reviewFacts(tx, config, claimed.map((r) => ({ id: r.id, organisationId: r.organisation_id })));

    const reviews: SendReviewRemindersSummary["reviews"] = [];
    const messages = [];
    const events = [];
    for (const row of claimed) {
      const counts = facts.counts.get(row.id) ?? { total: 0, undecided: 0 };
      const leads = facts.leads.get(row.organisation_id) ?? [];
      const periodText = periodLabel(row.period_start, row.period_end);
      reviews.push({ reviewId: row.id, organisationId: row.organisation_id, daysBefore: row.threshold, undecided: counts.undecided });
      messages.push(
        reviewReminderMessage(
          config,
          baseUrl,
          { reviewId: row.id, organisationName: facts.names.get(row.organisation_id) ?? "", periodLabel: periodText, dueOn: row.due_on, daysBefore: row.threshold, ...counts },
          leads,
        ),
      );
      events.push({
        action: "review.reminder_sent",
        organisationId: row.organisation_id,
        detail: { reviewId: row.id, period: periodText, dueOn: row.due_on, daysBefore: row.threshold, undecided: counts.undecided, emailedTo: leads.map((l) => l.email) },
      });
    }
    await queueMessages(tx, messages);
    await recordAudit(tx, actor, clock, events);
    return { today, reminded: claimed.length, reviews };
  });
}
