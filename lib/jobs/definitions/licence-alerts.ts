import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "../../db/types";
import { checkLicenceAlert } from "../../organisations/licence-alert";
import { licenceAlertDecision } from "../../organisations/rules";
import { licenceYear } from "../../requests/licences";
import { openStatuses } from "../../requests/rules";
import { defineJob } from "../define-job";
import { every } from "../schedule";

interface UseRow extends Record<string, unknown> {
  id: string;
  allocation: number;
  alerted_percent: number | null;
  used: number;
}

/**
 * Every active provider's licence use this year in one statement, counted as
 * lib/requests/licences.ts counts it: accounts not suspended plus open new-user requests, of
 * the year's allocation (the configured default when the year has no row).
 */
function licenceUseOfAll(db: Executor, defaultAllocation: number, year: number) {
  return queryRows<UseRow>(
    db,
    sql`select o.id, coalesce(la.allocation, ${defaultAllocation}::int) as allocation, la.alerted_at_percent as alerted_percent,
      (select count(*) from accounts a where a.organisation_id = o.id and a.audience = 'provider' and a.status <> 'suspended')::int
      + (select count(*) from requests r where r.organisation_id = o.id and r.type = 'new_user' and r.status in ${[...openStatuses]})::int as used
    from organisations o
    left join licence_allocations la on la.organisation_id = o.id and la.year = ${year}::int
    where o.kind = 'provider' and o.status = 'active'
    order by o.id`,
  );
}

/**
 * CC-2a: an organisation whose licence use reaches the alert threshold (90 %) has its Lead
 * correspondent(s) and the operator's staff told, once per crossing; when use falls back
 * under it the alert re-arms. Submissions, imports and allocation changes alert as they
 * happen; this job catches crossings made any other way (reinstatements, scheduled changes,
 * accounts suspended by the other jobs). One statement finds the organisations whose alert
 * state must change — crossings are rare — and each of those goes through the organisations
 * domain's own checkLicenceAlert (the submission's licence lock, a fresh count, the email, the
 * record and the audit event), so every path decides and words it the same way.
 */
export const licenceAlertsJob = defineJob({
  name: "licence-alerts",
  title: "Licence alerts",
  description: "Tells each organisation's Lead correspondent and the operator's staff once when its licence use crosses the alert threshold, and re-arms the alert when use falls back (CC-2a).",
  schedule: every(60),
  vercelCron: "5 * * * *",
  async run({ db, clock, config, actor }) {
    const year = licenceYear(clock.now());
    const thresholdPercent = config.licences.alertThresholdPercent;
    const all = await licenceUseOfAll(db, config.licences.defaultAllocation, year);
    const changing = all.filter(
      (row) => licenceAlertDecision({ allocation: row.allocation, used: row.used, thresholdPercent, alertedPercent: row.alerted_percent }).action !== "none",
    );
    let alerted = 0;
    let rearmed = 0;
    for (const row of changing) {
      const outcome = await checkLicenceAlert({ tx: db, actor, clock, config, organisationId: row.id, year });
      if (outcome.action === "alert") alerted += 1;
      if (outcome.action === "rearm") rearmed += 1;
    }
    return { organisations: all.length, alerted, rearmed };
  },
});
