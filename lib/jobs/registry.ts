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
  // UAP-5.2 — scheduled organisation changes (planned closure, change of ownership): the job
  // that runs the suspensions and creations a planned organisation case scheduled for today
  // goes here (lib/jobs/definitions/organisation-changes.ts), built with the organisations work.
  // UAP-4.2 / UAP-4.3a — quarterly reviews (open each quarter's reviews, reminders at 14 and 7
  // days, overdue escalation): lib/jobs/definitions/quarterly-reviews.ts, built with the reviews work.
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
