import type { JobDefinition } from "./define-job";
import { endDatesJob } from "./definitions/end-dates";
import { inactivityJob } from "./definitions/inactivity";
import { licenceAlertsJob } from "./definitions/licence-alerts";
import { slaEscalationsJob } from "./definitions/sla-escalations";
import { trainingAlertsJob } from "./definitions/training-alerts";
import { organisationChangesJob } from "./definitions/organisation-changes";
import { reviewJobDefinitions } from "./definitions/reviews";
import { auditCheckpointJob, auditVerifyJob } from "./definitions/audit-chain";
import { jobRunsRetentionJob } from "./definitions/job-runs-retention";

/**
 * Every scheduled job, in the order a due sweep runs them. The CLI (`portal jobs`), the cron
 * route (`/api/cron/[job]`), the in-process timer (lib/runtime/job-runner.ts), vercel.json and
 * the staff Jobs page all read this list: add a job here and every way in knows it.
 */
export const jobs: readonly JobDefinition[] = [
  endDatesJob,
  inactivityJob,
  organisationChangesJob,
  ...reviewJobDefinitions,
  licenceAlertsJob,
  slaEscalationsJob,
  trainingAlertsJob,
  auditCheckpointJob,
  auditVerifyJob,
  jobRunsRetentionJob,
];

/** The name the cron route uses for "every job that is due" (not a job name). */
export const DUE_JOBS = "due";

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}

export function jobNames(): string[] {
  return jobs.map((job) => job.name);
}
