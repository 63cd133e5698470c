import { sql } from "drizzle-orm";
import type { AuditInput } from "../../audit/events";
import { licenceAllocations } from "../../db/schema/organisations";
import { queryRows, type Executor } from "../../db/types";
import { licenceYear } from "../../requests/licences";
import { licenceAlertMessage } from "../../requests/messages";
import { licenceAlertDue, openStatuses } from "../../requests/rules";
import { enqueueMessages, recordAuditBatch } from "../batches";
import { defineJob } from "../define-job";
import { authorisers } from "../recipients";
import { every } from "../schedule";
import { at } from "../sql";

interface UseRow extends Record<string, unknown> {
  id: string;
  name: string;
  allocation: number;
  alerted_percent: number | null;
  used: number;
}

/**
 * Every active provider's licence use this year, counted as lib/requests/licences.ts counts it
 * (accounts not suspended plus open new-user requests; the configured allocation when the
 * year has no row) — for all organisations, or some, in one statement.
 */
function licenceUseOf(db: Executor, defaultAllocation: number, year: number, organisationIds?: string[]) {
  return queryRows<UseRow>(
    db,
    sql`select o.id, o.name, coalesce(la.allocation, ${defaultAllocation}::int) as allocation, la.alerted_at_percent as alerted_percent,
      (select count(*) from accounts a where a.organisation_id = o.id and a.audience = 'provider' and a.status <> 'suspended')::int
      + (select count(*) from requests r where r.organisation_id = o.id and r.type = 'new_user' and r.status in ${[...openStatuses]})::int as used
    from organisations o
    left join licence_allocations la on la.organisation_id = o.id and la.year = ${year}::int
    where o.kind = 'provider' and o.status = 'active' ${organisationIds ? sql`and o.id in ${organisationIds}` : sql``}
    order by o.id`,
  );
}

/** Below the threshold again (suspensions, a bigger allocation) after an alert: the next crossing alerts anew. */
function belowAfterAlert(row: UseRow, threshold: number): boolean {
  return row.alerted_percent !== null && (row.allocation <= 0 || (row.used / row.allocation) * 100 < threshold);
}

/**
 * CC-2a: an organisation whose licence use reaches the alert threshold (90 %) has its
 * authorisers alerted, once per crossing. A submitted request alerts at once
 * (lib/requests/submit-request.ts); this job catches crossings made any other way (a smaller
 * allocation, reinstatements, accounts created by staff) and re-arms the alert when use falls
 * back below the threshold. It takes each affected organisation's request lock, as a
 * submission does, so the two never both alert.
 */
export const licenceAlertsJob = defineJob({
  name: "licence-alerts",
  title: "Licence alerts",
  description: "Alerts each organisation's authorisers once when its licence use crosses the alert threshold, and re-arms the alert when use falls back (CC-2a).",
  schedule: every(60),
  vercelCron: "5 * * * *",
  async run({ db, clock, config, actor }) {
    const now = clock.now();
    const year = licenceYear(now);
    const threshold = config.licences.alertThresholdPercent;
    const due = (row: UseRow) => licenceAlertDue({ used: row.used, allocation: row.allocation }, threshold, row.alerted_percent);

    const first = await licenceUseOf(db, config.licences.defaultAllocation, year);
    const candidates = first.filter((row) => due(row) || belowAfterAlert(row, threshold)).map((row) => row.id);
    if (candidates.length === 0) return { organisations: first.length, alerted: 0, rearmed: 0 };

    // One request at a time per organisation (the submission's lock), then count again.
    await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('requests:' || o.id::text, 0)) from organisations o where o.id in ${candidates}`);
    const rows = await licenceUseOf(db, config.licences.defaultAllocation, year, candidates);
    const alerting = rows.filter(due);
    const rearming = rows.filter((row) => belowAfterAlert(row, threshold));

    if (alerting.length > 0) {
      await db
        .insert(licenceAllocations)
        .values(alerting.map((row) => ({ organisationId: row.id, year, allocation: row.allocation, alertedAt: threshold, updatedAt: now })))
        .onConflictDoUpdate({
          target: [licenceAllocations.organisationId, licenceAllocations.year],
          set: { alertedAt: sql`excluded.alerted_at_percent`, updatedAt: sql`excluded.updated_at` },
        });
    }
    if (rearming.length > 0) {
      await db.execute(
        sql`update licence_allocations set alerted_at_percent = null, updated_at = ${at(now)} where year = ${year}::int and organisation_id in ${rearming.map((r) => r.id)}`,
      );
    }

    const to = await authorisers(db, config, alerting.map((row) => row.id));
    await enqueueMessages(
      db,
      alerting
        .filter((row) => (to.get(row.id) ?? []).length > 0)
        .map((row) => ({
          ...licenceAlertMessage(config, { id: row.id, name: row.name }, { used: row.used, allocation: row.allocation, year }, (to.get(row.id) ?? []).map((p) => p.email)),
          // One key per crossing: after a re-arm the same count alerts again.
          idempotencyKey: `licence_alert:${row.id}:${year}:${now.toISOString()}`,
        })),
    );
    const events: AuditInput[] = alerting.map((row) => ({
      action: "organisation.licence_alert_sent",
      organisationId: row.id,
      detail: { year, used: row.used, allocation: row.allocation, thresholdPercent: threshold, to: (to.get(row.id) ?? []).map((p) => p.email), rule: "CC-2a" },
    }));
    await recordAuditBatch(db, actor, clock, events);
    return { organisations: first.length, alerted: alerting.length, rearmed: rearming.length };
  },
});
