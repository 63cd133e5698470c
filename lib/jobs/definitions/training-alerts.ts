import { sql } from "drizzle-orm";
import type { AuditInput } from "../../audit/events";
import { queryRows } from "../../db/types";
import { enqueueMessages, recordAuditBatch } from "../batches";
import { defineJob } from "../define-job";
import { trainingExpiredMessage } from "../messages";
import { claimNotices, noticeKey } from "../notices";
import { copyTo, leadCorrespondents } from "../recipients";
import { dayIn, trainingExpiresOn } from "../rules";
import { dailyAt } from "../schedule";
import { day } from "../sql";

interface ExpiredRow extends Record<string, unknown> {
  id: string;
  organisation_id: string;
  full_name: string;
  email: string;
  trained_on: string;
}

/**
 * CC-7f: active provider accounts whose recorded information governance training is older
 * than igTrainingValidityMonths (12) — the user is emailed, copied to their Lead
 * correspondent, once per training date (a new date recorded re-arms it). Accounts with no
 * training date recorded are not "expired"; Our users shows them as "Not recorded".
 */
export const trainingAlertsJob = defineJob({
  name: "training-alerts",
  title: "IG training alerts",
  description: "Emails users, copied to their Lead correspondent, once when their information governance training passes its validity (CC-7f).",
  schedule: dailyAt("07:00"),
  vercelCron: "0 7 * * *",
  async run({ db, clock, config, actor }) {
    const now = clock.now();
    const today = dayIn(now, config.requests.serviceHours.timeZone);
    const months = config.accounts.igTrainingValidityMonths;
    const expired = await queryRows<ExpiredRow>(
      db,
      sql`select a.id, a.organisation_id, a.full_name, a.email, to_char(a.ig_training_date, 'YYYY-MM-DD') as trained_on
      from accounts a
      where a.status = 'active' and a.audience = 'provider' and a.ig_training_date is not null
        and (a.ig_training_date + make_interval(months => ${months}::int))::date <= ${day(today)}`,
    );
    const claimed = await claimNotices(db, "training_expired", expired.map((row) => ({ subjectId: row.id, occurrenceKey: row.trained_on })), now);
    const alerted = expired.filter((row) => claimed.has(noticeKey({ subjectId: row.id, occurrenceKey: row.trained_on })));
    const leads = await leadCorrespondents(db, config, alerted.map((row) => row.organisation_id));
    await enqueueMessages(
      db,
      alerted.map((row) =>
        trainingExpiredMessage(
          config,
          { id: row.id, fullName: row.full_name, email: row.email },
          copyTo(leads.get(row.organisation_id), row),
          row.trained_on,
          trainingExpiresOn(row.trained_on, months),
        ),
      ),
    );
    const events: AuditInput[] = alerted.map((row) => ({
      action: "account.training_expired_alert_sent",
      organisationId: row.organisation_id,
      subjectAccountId: row.id,
      detail: { rule: "CC-7f", trainedOn: row.trained_on, expiredOn: trainingExpiresOn(row.trained_on, months), to: [row.email, ...copyTo(leads.get(row.organisation_id), row)] },
    }));
    await recordAuditBatch(db, actor, clock, events);
    return { expired: expired.length, alerted: alerted.length };
  },
});
