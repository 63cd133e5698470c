import type { JobDefinition } from "./define-job";
import { endDatesJob } from "./definitions/end-dates";
import { inactivityJob } from "./definitions/inactivity";
import { licenceAlertsJob } from "./definitions/licence-alerts";
import { slaEscalationsJob } from "./definitions/sla-escalations";
import { trainingAlertsJob } from "./definitions/training-alerts";

/**
 * Every scheduled job, in the order a due sweep runs them. The CLI (`portal jobs`), the cron
 * route (`/api/cron/[job]`), the in-process timer (lib/runtime/job-runner.ts), vercel.json and
 * the staff Jobs page all read this list: add a job here and every way in knows it.
 */
export const jobs: readonly JobDefinition[] = [
  endDatesJob,
  inactivityJob,
  // SLOT — UAP-5.2 scheduled organisation changes: register a definition here (e.g.
  // lib/jobs/definitions/organisation-changes.ts, name "organisation-changes", dailyAt("00:30"))
  // whose run calls runScheduledOrganisationChanges({ db, clock, config, baseUrl, actor }) from
  // lib/organisations/run-scheduled-organisation-changes.ts. Its `db` will be the run's
  // transaction (its own transaction then becomes a savepoint), and add the vercel.json entry.
  // SLOT — UAP-4.2 / UAP-4.3a quarterly reviews: register one definition per entry of
  // reviewJobs (lib/reviews/jobs.ts: open, remind, escalate), named with hyphens
  // ("reviews-open" …) and scheduled daily (opening is once per organisation and quarter).
  // Left to the owners of those modules: running them on every server start changes what the
  // reviews' and organisations' own tests and journeys expect.
  licenceAlertsJob,
  slaEscalationsJob,
  trainingAlertsJob,
];

/** The name the cron route uses for "every job that is due" (not a job name). */
export const DUE_JOBS = "due";

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}

export function jobNames(): string[] {
  return jobs.map((job) => job.name);
}
