import { sql } from "drizzle-orm";
import type { AuditInput } from "../../audit/events";
import { endAllSessions } from "../../auth/sessions";
import { queryRows } from "../../db/types";
import { chunked, enqueueMessages, recordAuditBatch } from "../batches";
import { defineJob } from "../define-job";
import { endDateSuspensionMessage, endDateWarningMessage } from "../messages";
import { claimNotices, noticeKey } from "../notices";
import { copyTo, leadCorrespondents } from "../recipients";
import { dayIn, endDateWindow } from "../rules";
import { dailyAt } from "../schedule";
import { at, day } from "../sql";

interface SuspendedRow extends Record<string, unknown> {
  id: string;
  organisation_id: string;
  full_name: string;
  email: string;
  end_date: string;
  before: string;
  live_sessions: number;
}

interface WarnRow extends Record<string, unknown> {
  id: string;
  organisation_id: string;
  full_name: string;
  email: string;
  end_date: string;
}

/**
 * CC-7c: accounts (active, or pending set-up) whose end date has come are suspended on it —
 * sessions ended, audited, the user and their Lead correspondent told. Accounts ending within
 * endDateWarningDays (7) are warned once per end date, with the link the Lead correspondent
 * uses to ask for an extension (an end-date-change request). Extending the date re-arms it.
 */
export const endDatesJob = defineJob({
  name: "end-dates",
  title: "End dates",
  description:
    "Suspends accounts on their end date and warns the user and their Lead correspondent beforehand, with a link to ask for an extension (CC-7c).",
  schedule: dailyAt("00:15"),
  vercelCron: "15 0 * * *",
  async run({ db, clock, config, baseUrl, actor }) {
    const now = clock.now();
    const today = dayIn(now, config.requests.serviceHours.timeZone);
    const window = endDateWindow(today, config.accounts);
    const reason = "End date reached";

    const suspended = await queryRows<SuspendedRow>(
      db,
      sql`with candidates as (
        select a.id, a.status as before from accounts a
        where a.status in ('active', 'pending') and a.end_date is not null and a.end_date <= ${day(window.suspendOnOrBefore)}
      ),
      live as (
        select s.account_id, count(*)::int as n from sessions s join candidates c on c.id = s.account_id
        where s.ended_at is null group by s.account_id
      )
      update accounts a
      set status = 'suspended', suspended_at = ${at(now)}, suspension_reason = ${reason}, updated_at = ${at(now)}
      from candidates c left join live l on l.account_id = c.id
      where a.id = c.id and a.status in ('active', 'pending') and a.end_date <= ${day(window.suspendOnOrBefore)}
      returning a.id, a.organisation_id, a.full_name, a.email, to_char(a.end_date, 'YYYY-MM-DD') as end_date, c.before, coalesce(l.n, 0)::int as live_sessions`,
    );
    let sessionsEnded = 0;
    for (const chunk of chunked(suspended.map((s) => s.id), 5_000)) sessionsEnded += await endAllSessions(db, clock, chunk, "account_not_active");

    const warnable = await queryRows<WarnRow>(
      db,
      sql`select a.id, a.organisation_id, a.full_name, a.email, to_char(a.end_date, 'YYYY-MM-DD') as end_date
      from accounts a
      where a.status = 'active' and a.end_date > ${day(window.suspendOnOrBefore)} and a.end_date <= ${day(window.warnUntil)}`,
    );
    const claimed = await claimNotices(db, "end_date_warning", warnable.map((w) => ({ subjectId: w.id, occurrenceKey: w.end_date })), now);
    const warned = warnable.filter((w) => claimed.has(noticeKey({ subjectId: w.id, occurrenceKey: w.end_date })));

    const leads = await leadCorrespondents(db, config, [...suspended, ...warned].map((r) => r.organisation_id));
    const person = (row: { id: string; full_name: string; email: string }) => ({ id: row.id, fullName: row.full_name, email: row.email });
    await enqueueMessages(db, [
      ...suspended.map((s) => endDateSuspensionMessage(config, person(s), copyTo(leads.get(s.organisation_id), s), s.end_date)),
      ...warned.map((w) => endDateWarningMessage(config, baseUrl, person(w), copyTo(leads.get(w.organisation_id), w), w.end_date)),
    ]);
    const events: AuditInput[] = [
      ...suspended.map((s) => ({
        action: "account.suspended",
        organisationId: s.organisation_id,
        subjectAccountId: s.id,
        detail: { before: { status: s.before }, after: { status: "suspended" }, reason, rule: "CC-7c", endDate: s.end_date, sessionsEnded: s.live_sessions },
      })),
      ...warned.map((w) => ({
        action: "account.end_date_warning_sent",
        organisationId: w.organisation_id,
        subjectAccountId: w.id,
        detail: { rule: "CC-7c", endDate: w.end_date, to: [w.email, ...copyTo(leads.get(w.organisation_id), w)] },
      })),
    ];
    await recordAuditBatch(db, actor, clock, events);
    return { suspended: suspended.length, sessionsEnded, warned: warned.length };
  },
});
