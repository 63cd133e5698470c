export { defineJob, type JobContext, type JobDefinition, type JobLog, type JobSummary } from "./define-job";
export { jobs, findJob, jobNames, DUE_JOBS } from "./registry";
export { runJob, runDueJobs, runHistory, stderrJobLog, silentJobLog, JOB_LOCK_CLASS, type JobDeps, type JobRunResult, type JobRunStatus, type JobTrigger, type RunJobOptions } from "./run-job";
export { jobsOverview, jobRunsOf, type JobRunView, type JobView } from "./queries";
export { describeSchedule, dailyAt, every, isDue, latestSlot, nextRunAt, nextSlot, type JobSchedule } from "./schedule";
export { cronAuthorisation, cronAuthorisationStatus, type CronAuthorisation } from "./cron-auth";
export { runJobNow } from "./run-job-now";
export { describeSummary } from "./describe-summary";
