import { sql, type SQL } from "drizzle-orm";
import type { AuditInput } from "../../audit/events";
import { endAllSessions } from "../../auth/sessions";
import { queryRows } from "../../db/types";
import type { OutboundMessage } from "../../mail/enqueue-message";
import { chunked, messageStatements, openAuditBatch, writeInterleaved } from "../batches";
import { defineJob } from "../define-job";
import { inactivitySuspensionMessage, inactivityWarningMessage } from "../messages";
import { claimNotices, noticeKey } from "../notices";
import { copyTo, leadCorrespondents } from "../recipients";
import { inactivityCutoffs, inactivityDeadline } from "../rules";
import { dailyAt } from "../schedule";
import { at, isoText } from "../sql";

/**
 * The inactivity clock of each active provider account (UAP-4.3b): the latest of its last
 * sign-in, its activation and its last reinstatement (UAP-4.3c, read from the audit log's
 * account.reinstated events — few, found through the action index); its creation when none.
 */
const idleSinceOf = (reinstatedAt: SQL) =>
  sql`coalesce(greatest(a.last_sign_in_at, a.activated_at, ${reinstatedAt}), a.created_at)`;

const reinstatedCte = sql`reinstated as (
  select subject_account_id as account_id, max(occurred_at) as at
  from audit_events
  where action = 'account.reinstated' and subject_account_id is not null
  group by subject_account_id
)`;

interface SuspendedRow extends Record<string, unknown> {
  id: string;
  organisation_id: string;
  full_name: string;
  email: string;
  idle_since: string;
  live_sessions: number;
}

interface WarnRow extends Record<string, unknown> {
  id: string;
  organisation_id: string;
  full_name: string;
  email: string;
  idle_since: string;
}

/**
 * UAP-4.3b: provider accounts with no sign-in for inactivityDays (60) are suspended — one
 * UPDATE … RETURNING — their sessions end, each gets an audit event and an email; accounts
 * inactivityWarningDays (10) from that are warned by email, once per inactive spell.
 * Operator staff accounts are left to the operator's own joiners-and-leavers process.
 */
export const inactivityJob = defineJob({
  name: "inactivity",
  title: "Inactivity suspensions",
  description:
    "Suspends provider accounts with no sign-in for the configured number of days (counted from activation or reinstatement when later) and warns their users beforehand (UAP-4.3b, UAP-4.3c).",
  schedule: dailyAt("06:00"),
  vercelCron: "0 6 * * *",
  async run({ db, clock, config, baseUrl, actor }) {
    const now = clock.now();
    const cutoffs = inactivityCutoffs(now, config.accounts);
    const reason = `No sign-in for ${config.accounts.inactivityDays} days`;

    // 1. Suspend, in one statement. An account is idle past the cut-off when its sign-in and
    //    activation (or, lacking both, its creation) are, and it was not reinstated since — the
    //    same test as idleSinceOf(…) <= cut-off, since a reinstatement follows the creation. The
    //    conditions are on the updated row itself, so a sign-in that commits while this runs is
    //    seen (the row is re-checked after its lock) and the account is spared. Rotating the
    //    security stamp here, as endAllSessions does, means no token of theirs is accepted again.
    const suspended = await queryRows<SuspendedRow>(
      db,
      sql`with ${reinstatedCte},
      suspended as (
        update accounts a
        set status = 'suspended', suspended_at = ${at(now)}, suspension_reason = ${reason}, updated_at = ${at(now)}, security_stamp = gen_random_uuid()
        where a.status = 'active' and a.audience = 'provider'
          and coalesce(greatest(a.last_sign_in_at, a.activated_at), a.created_at) <= ${at(cutoffs.suspend)}
          and not exists (select 1 from reinstated r where r.account_id = a.id and r.at > ${at(cutoffs.suspend)})
        returning a.id, a.organisation_id, a.full_name, a.email, a.last_sign_in_at, a.activated_at, a.created_at
      ),
      live as (
        select s.account_id, count(*)::int as n from sessions s join suspended u on u.id = s.account_id
        where s.ended_at is null group by s.account_id
      )
      select a.id, a.organisation_id, a.full_name, a.email, ${isoText(idleSinceOf(sql`r.at`))} as idle_since, coalesce(l.n, 0)::int as live_sessions
      from suspended a left join reinstated r on r.account_id = a.id left join live l on l.account_id = a.id`,
    );
    // The session rows themselves are ended only for the accounts that have any (an account idle
    // for 60 days rarely does): the stamp is already rotated, so a second pass over every
    // suspended account's row would only repeat it.
    let sessionsEnded = 0;
    const withSessions = suspended.filter((s) => s.live_sessions > 0).map((s) => s.id);
    for (const chunk of chunked(withSessions, 5_000)) sessionsEnded += await endAllSessions(db, clock, chunk, "account_not_active");

    // 2. Warn those inside the warning window (not yet due): once per inactive spell, keyed by when it began.
    const warnable = await queryRows<WarnRow>(
      db,
      sql`with ${reinstatedCte}
      select a.id, a.organisation_id, a.full_name, a.email, ${isoText(idleSinceOf(sql`r.at`))} as idle_since
      from accounts a left join reinstated r on r.account_id = a.id
      where a.status = 'active' and a.audience = 'provider'
        and ${idleSinceOf(sql`r.at`)} <= ${at(cutoffs.warn)} and ${idleSinceOf(sql`r.at`)} > ${at(cutoffs.suspend)}`,
    );
    const claimed = await claimNotices(db, "inactivity_warning", warnable.map((w) => ({ subjectId: w.id, occurrenceKey: w.idle_since })), now);
    const warned = warnable.filter((w) => claimed.has(noticeKey({ subjectId: w.id, occurrenceKey: w.idle_since })));

    // 3. Emails and audit events, many rows a statement, all through one pipeline: the chain's
    //    lock and head are taken first (one round trip), then a batch of emails and a batch of
    //    events in turn, each made (built, validated, hashed, encoded) while the database writes
    //    the one before.
    const leads = await leadCorrespondents(db, config, suspended.map((s) => s.organisation_id));
    const audit = await openAuditBatch(db, actor, clock);
    const person = (row: { id: string; full_name: string; email: string }) => ({ id: row.id, fullName: row.full_name, email: row.email });
    function* messages(): Generator<OutboundMessage> {
      for (const s of suspended) yield inactivitySuspensionMessage(config, person(s), copyTo(leads.get(s.organisation_id), s), now);
      for (const w of warned) yield inactivityWarningMessage(config, baseUrl, person(w), w.idle_since, inactivityDeadline(new Date(w.idle_since), config.accounts));
    }
    const events: AuditInput[] = [
      ...suspended.map((s) => ({
        action: "account.suspended",
        organisationId: s.organisation_id,
        subjectAccountId: s.id,
        detail: {
          before: { status: "active" },
          after: { status: "suspended" },
          reason,
          rule: "UAP-4.3b",
          idleSince: s.idle_since,
          sessionsEnded: s.live_sessions,
        },
      })),
      ...warned.map((w) => ({
        action: "account.inactivity_warning_sent",
        organisationId: w.organisation_id,
        subjectAccountId: w.id,
        detail: { rule: "UAP-4.3b", idleSince: w.idle_since, suspendsAt: inactivityDeadline(new Date(w.idle_since), config.accounts).toISOString() },
      })),
    ];
    await writeInterleaved(messageStatements(db, messages(), () => undefined), audit.statementsOf(events));
    return { suspended: suspended.length, sessionsEnded, warned: warned.length };
  },
});
