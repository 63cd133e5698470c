import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Transaction } from "../db/types";
import type { JobSchedule } from "./schedule";

export type JobLogLevel = "info" | "warn" | "error";
/** Structured log lines (one JSON object a line on stderr in the server). Never an email body. */
export type JobLog = (level: JobLogLevel, event: string, fields?: Record<string, unknown>) => void;

/** What a job did, as counts and short lists: stored on its run (jsonb) and shown to staff. */
export type JobSummary = Record<string, number | string | boolean | null | string[]>;

/** What a job's handler is given. */
export interface JobContext {
  /**
   * The run's transaction. It holds the job's advisory lock until it commits, and the run is
   * recorded in it: the changes, their audit events, their emails and the run row commit together.
   */
  db: Transaction;
  clock: Clock;
  config: PortalConfig;
  /** The portal's public address, for links in emails. */
  baseUrl: string;
  log: JobLog;
  /** The job itself as the audit log names it: systemActor("job", <title>). */
  actor: Actor;
}

/**
 * One scheduled job: its name (CLI argument, cron path, run records), what it does, when, and
 * its handler. Handlers work in set-based SQL and are idempotent: whatever they act on, they
 * change so that a second run at the same instant finds nothing left to do.
 */
export interface JobDefinition {
  /** Lower-case words joined by hyphens: `portal jobs run inactivity`, `/api/cron/inactivity`. */
  name: string;
  /** A short title for pages and the audit log ("Inactivity suspensions"). */
  title: string;
  /** One sentence for staff: what it does and under which clause. */
  description: string;
  schedule: JobSchedule;
  /** The UTC cron expression vercel.json uses for this job (Vercel's cron runs in UTC). */
  vercelCron: string;
  run(context: JobContext): Promise<JobSummary>;
}

export function defineJob(job: JobDefinition): JobDefinition {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(job.name)) throw new Error(`job names are lower-case words joined by hyphens, not "${job.name}"`);
  return job;
}
