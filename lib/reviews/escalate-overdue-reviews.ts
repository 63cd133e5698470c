import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { systemActor, type Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { queryRows, type Executor } from "../db/types";
import { serviceDay } from "../requests/rules";
import { reviewOverdueMessage } from "./messages";
import { queueMessages } from "./queue-messages";
import { reviewFacts } from "./review-facts";
import { periodLabel } from "./rules";

export interface EscalateOverdueReviewsOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  actor?: Actor;
}

export interface EscalateOverdueReviewsSummary {
  today: string;
  /** Reviews escalated by this run (each is escalated once). */
  escalated: number;
  reviews: { reviewId: string; organisationId: string; organisationName: string; dueOn: string; undecided: number }[];
}

/**
 * UAP-4.2: a review not signed off by its due date is overdue. Each overdue review is flagged
 * (escalated_at) and emailed to the operator's team once — one UPDATE claims the reviews not yet
 * flagged, so a repeated run, or two runners at once, escalate each one once. Staff also see
 * overdue reviews highlighted in the quarterly review report.
 */
export async function escalateOverdueReviews(options: EscalateOverdueReviewsOptions): Promise<EscalateOverdueReviewsSummary> {
  const { db, clock, config, baseUrl } = options;
  const actor = options.actor ?? systemActor("job", "Quarterly reviews");
  const now = clock.now();
  const today = serviceDay(now, config.requests.serviceHours.timeZone);
  const at = now.toISOString();

  return db.transaction(async (tx) => {
    const claimed = await queryRows<{ id: string; organisation_id: string; due_on: string; period_start: string; period_end: string }>(
      tx,
      sql`update access_reviews
          set escalated_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
          where signed_off_at is null and escalated_at is null and due_on < ${today}::date
          returning id, organisation_id, due_on::text as due_on, period_start::text as period_start, period_end::text as period_end`,
    );
    if (claimed.length === 0) return { today, escalated: 0, reviews: [] };
    const facts = await reviewFacts(tx, config, claimed.map((r) => ({ id: r.id, organisationId: r.organisation_id })));

    const reviews: EscalateOverdueReviewsSummary["reviews"] = [];
    const messages = [];
    const events = [];
    for (const row of claimed) {
      const counts = facts.counts.get(row.id) ?? { total: 0, undecided: 0 };
      const leads = facts.leads.get(row.organisation_id) ?? [];
      const organisationName = facts.names.get(row.organisation_id) ?? "";
      const periodText = periodLabel(row.period_start, row.period_end);
      reviews.push({ reviewId: row.id, organisationId: row.organisation_id, organisationName, dueOn: row.due_on, undecided: counts.undecided });
      messages.push(reviewOverdueMessage(config, baseUrl, { reviewId: row.id, organisationName, periodLabel: periodText, dueOn: row.due_on, leads, ...counts }));
      events.push({
        action: "review.escalated",
        organisationId: row.organisation_id,
        detail: { reviewId: row.id, period: periodText, dueOn: row.due_on, undecided: counts.undecided, total: counts.total, emailedTo: [config.operator.mailbox] },
      });
    }
    await queueMessages(tx, messages);
    await recordAudit(tx, actor, clock, events);
    reviews.sort((a, b) => a.organisationName.localeCompare(b.organisationName));
    return { today, escalated: claimed.length, reviews };
  });
}
