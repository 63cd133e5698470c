import { runScheduledOrganisationChanges } from "../../organisations/run-scheduled-organisation-changes";
import { defineJob } from "../define-job";
import { dailyAt } from "../schedule";

/** UAP-5.2: the suspensions and new-owner accounts a planned organisation case scheduled, on their effective date. */
export const organisationChangesJob = defineJob({
  name: "organisation-changes",
  title: "Scheduled organisation changes",
  description: "Carries out the suspensions and new accounts that planned closures, administrations and changes of ownership scheduled for today (UAP-5.2).",
  schedule: dailyAt("00:30"),
  vercelCron: "30 0 * * *",
  async run({ db, clock, config, baseUrl, actor }) {
    const s = await runScheduledOrganisationChanges({ db, clock, config, baseUrl, actor });
    return { today: s.today, due: s.due, done: s.done, failed: s.failed, accountsSuspended: s.accountsSuspended, sessionsEnded: s.sessionsEnded, accountsCreated: s.accountsCreated };
  },
});
