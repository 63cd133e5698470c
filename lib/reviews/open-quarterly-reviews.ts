import { inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { systemActor, type Actor, type AuditInput } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { organisations } from "../db/schema/organisations";
import { queryRows, type Executor } from "../db/types";
import { serviceDay } from "../requests/rules";
import { leadCorrespondents } from "./leads";
import { reviewOpenedMessage } from "./messages";
import { queueMessages } from "./queue-messages";
import { reviewPeriodFor, type ReviewPeriod } from "./rules";

export interface OpenQuarterlyReviewsOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  /** The portal's address, for the link in the Lead correspondents' email. */
  baseUrl: string;
  /** Who opens them: the job (the default) or a member of staff ("Open this quarter's reviews"). */
  actor?: Actor;
}

export interface OpenQuarterlyReviewsSummary {
  period: ReviewPeriod;
  /** Reviews opened by this run (0 when the period's reviews were already open). */
  opened: number;
  /** Accounts listed in the reviews this run opened. */
  accounts: number;
  /** Emails queued to Lead correspondents. */
  emailed: number;
  reviews: { reviewId: string; organisationId: string; organisationName: string; accounts: number }[];
}

/**
 * UAP-4.2 / UAP-4.3a: opens the current period's review for every active provider organisation
 * that has none yet — each listing every account of the organisation with a snapshot of its
 * status, roles, last sign-in, training and end date — and emails the organisation's Lead
 * correspondents the link. Idempotent (one review per organisation and period, by a unique
 * key) and set-based: one statement opens the reviews, one lists their accounts, one queues
 * the emails and one writes the audit events, however many organisations there are.
 */
export async function openQuarterlyReviews(options: OpenQuarterlyReviewsOptions): Promise<OpenQuarterlyReviewsSummary> {
  const { db, clock, config, baseUrl } = options;
  const actor = options.actor ?? systemActor("job", "Quarterly reviews");
  const now = clock.now();
  const period = reviewPeriodFor(serviceDay(now, config.requests.serviceHours.timeZone), config.accounts.reviewIntervalMonths);
  const at = now.toISOString();

  return db.transaction(async (tx) => {
    const opened = await queryRows<{ id: string; organisation_id: string }>(
      tx,
      sql`insert into access_reviews (organisation_id, period_start, period_end, due_on, opened_at, created_at, updated_at)
          select o.id, ${period.start}::date, ${period.end}::date, ${period.dueOn}::date, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from organisations o
          where o.kind = 'provider' and o.status = 'active'
          on conflict (organisation_id, period_start) do nothing
          returning id, organisation_id`,
    );

    const events: AuditInput[] = [];
    const reviews: OpenQuarterlyReviewsSummary["reviews"] = [];
    let emailed = 0;
    if (opened.length > 0) {
      const ids = JSON.stringify(opened.map((r) => r.id));
      const listed = await queryRows<{ review_id: string; accounts: number }>(
        tx,
        sql`with listed as (
              insert into access_review_items
                (review_id, account_id, full_name, email, job_title, status, role_keys, last_sign_in_at, ig_training_date, end_date, created_at, updated_at)
              select r.id, a.id, a.full_name, a.email, a.job_title, a.status,
                     coalesce((select jsonb_agg(g.role_key order by g.role_key) from role_grants g where g.account_id = a.id), '[]'::jsonb),
                     a.last_sign_in_at, a.ig_training_date, a.end_date, ${at}::timestamptz, ${at}::timestamptz
              from access_reviews r
              join accounts a on a.organisation_id = r.organisation_id and a.audience = 'provider'
              where r.id in (select value::uuid from jsonb_array_elements_text(${ids}::jsonb))
              returning review_id
            )
            select review_id, count(*)::int as accounts from listed group by review_id`,
      );
      const accountsIn = new Map(listed.map((r) => [r.review_id, r.accounts]));
      const organisationIds = opened.map((r) => r.organisation_id);
      const names = new Map(
        (await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, organisationIds))).map((o) => [o.id, o.name]),
      );
      const leads = await leadCorrespondents(tx, config, organisationIds);

      const messages = [];
      for (const row of opened) {
        const organisationName = names.get(row.organisation_id) ?? "";
        const count = accountsIn.get(row.id) ?? 0;
        const to = leads.get(row.organisation_id) ?? [];
        reviews.push({ reviewId: row.id, organisationId: row.organisation_id, organisationName, accounts: count });
        if (to.length > 0) {
          messages.push(reviewOpenedMessage(config, baseUrl, { reviewId: row.id, organisationName, periodLabel: period.label, dueOn: period.dueOn, accounts: count }, to));
        }
        events.push({
          action: "review.opened",
          organisationId: row.organisation_id,
          detail: { reviewId: row.id, period: period.label, periodStart: period.start, periodEnd: period.end, dueOn: period.dueOn, accounts: count, emailedTo: to.map((l) => l.email) },
        });
      }
      emailed = await queueMessages(tx, messages);
    }
    // A member of staff asking is recorded even when there was nothing left to open.
    if (actor.accountId) {
      events.push({ action: "review.open_requested", detail: { period: period.label, periodStart: period.start, opened: opened.length } });
    }
    await recordAudit(tx, actor, clock, events);

    reviews.sort((a, b) => a.organisationName.localeCompare(b.organisationName));
    return { period, opened: opened.length, accounts: reviews.reduce((n, r) => n + r.accounts, 0), emailed, reviews };
  });
}
