import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { systemActor, type Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { jobRuns, type jobTriggers } from "../db/schema/jobs";
import { queryRows, type Database, type Executor } from "../db/types";
import { AppError } from "../errors";
import type { JobDefinition, JobLog, JobSummary } from "./define-job";
import { jobs as registeredJobs } from "./registry";
import { isDue, type RunHistory } from "./schedule";

export type JobTrigger = (typeof jobTriggers)[number];

/** What running a job needs; the same from the CLI, the cron route and the in-process timer. */
export interface JobDeps {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  log?: JobLog;
  /** The jobs to choose from (tests); the registry by default. */
  jobs?: readonly JobDefinition[];
}

export interface RunJobOptions {
  trigger: JobTrigger;
  /** The person who asked ("Run now", the CLI's --as): the run is audited in their name. */
  requestedBy?: Actor | null;
  /** Run only if the schedule says the job is due (the timer and the due sweep). */
  onlyIfDue?: boolean;
}

export type JobRunStatus = "ok" | "failed" | "skipped_locked" | "not_due";

export interface JobRunResult {
  job: string;
  /** ok: ran; failed: rolled back, error says why; skipped_locked: another runner holds the job; not_due: nothing to do yet. */
  status: JobRunStatus;
  /** The job_runs row (null when not due: nothing is recorded then). */
  runId: string | null;
  startedAt: Date;
  finishedAt: Date;
  summary: JobSummary;
  error: string | null;
}

/** The advisory-lock class of the jobs (two-int form: class, hashtext(job name)); the audit chain uses another key. */
export const JOB_LOCK_CLASS = 74_201_002;

/** One JSON object a line on stderr, like the mail worker's. */
export const stderrJobLog: JobLog = (level, event, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ level, source: "jobs", event, ...fields })}\n`);
};
export const silentJobLog: JobLog = () => undefined;

/**
 * Runs one job, once, however many runners try at the same moment:
 * 1. one transaction takes the job's advisory lock with pg_try_advisory_xact_lock — a runner
 *    that cannot get it records skipped_locked and leaves (never waits, never acts);
 * 2. with onlyIfDue, the schedule is checked under the lock against the recorded runs;
 * 3. the handler changes rows, queues emails and writes audit events in that transaction, and
 *    the run's job_runs row (status ok, summary) is written in it too — all commit together;
 * 4. if the handler throws, everything rolls back and a failed run is recorded with the error.
 * Handlers are idempotent, so a second run after the first has committed finds nothing to do.
 */
export async function runJob(name: string, deps: JobDeps, options: RunJobOptions): Promise<JobRunResult> {
  const job = (deps.jobs ?? registeredJobs).find((j) => j.name === name);
  if (!job) throw new AppError("not_found", `no job named ${name}`, `There is no job called "${name}".`);
  const { db, clock, config, baseUrl } = deps;
  const log = deps.log ?? stderrJobLog;
  const startedAt = clock.now();
  const base = { job: job.name, startedAt, summary: {}, error: null };

  try {
    const result = await db.transaction(async (tx): Promise<JobRunResult> => {
      const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${JOB_LOCK_CLASS}::int, hashtext(${job.name})) as locked`);
      if (!lock?.locked) {
        const finishedAt = clock.now();
        const runId = await recordRun(tx, { ...base, status: "skipped_locked", finishedAt }, options, clock);
        return { ...base, status: "skipped_locked", runId, finishedAt };
      }
      if (options.onlyIfDue && !isDue(job.schedule, await runHistory(tx, job.name), startedAt)) {
        return { ...base, status: "not_due", runId: null, finishedAt: startedAt };
      }
      const summary = await job.run({ db: tx, clock, config, baseUrl, log, actor: systemActor("job", job.title) });
      const finishedAt = clock.now();
      const runId = await recordRun(tx, { ...base, status: "ok", summary, finishedAt }, options, clock);
      return { ...base, status: "ok", runId, summary, finishedAt };
    });
    if (result.status === "ok") log("info", "job.finished", { job: job.name, trigger: options.trigger, summary: result.summary });
    else if (result.status === "skipped_locked") log("info", "job.skipped_locked", { job: job.name, trigger: options.trigger });
    return result;
  } catch (error) {
    const message = describeError(error);
    const finishedAt = clock.now();
    log("error", "job.failed", { job: job.name, trigger: options.trigger, error: message });
    const failed = { ...base, status: "failed" as const, finishedAt, error: message };
    const runId = await db.transaction((tx) => recordRun(tx, failed, options, clock));
    return { ...failed, runId };
  }
}

type RecordedRun = Pick<JobRunResult, "job" | "startedAt" | "finishedAt" | "summary" | "error"> & { status: "ok" | "failed" | "skipped_locked" };

/** Writes the run's row (and, for a person's request, its audit event) in the given transaction. */
async function recordRun(tx: Executor, run: RecordedRun, options: RunJobOptions, clock: Clock): Promise<string> {
  const requestedBy = options.requestedBy ?? null;
  const [row] = await tx
    .insert(jobRuns)
    .values({
      job: run.job,
      status: run.status,
      trigger: options.trigger,
      requestedBy: requestedBy?.label ?? null,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      summary: run.summary,
      error: run.error,
    })
    .returning({ id: jobRuns.id });
  if (requestedBy) {
    await recordAudit(tx, requestedBy, clock, {
      action: "job.run_requested",
      detail: { job: run.job, trigger: options.trigger, status: run.status, runId: row!.id, summary: run.summary, error: run.error },
    });
  }
  return row!.id;
}

/**
 * Runs every registered job the schedule says is due, one after another (the timer's tick, the
 * cron route's "due", `portal jobs run` with no name). Jobs not due are reported as not_due.
 */
export async function runDueJobs(deps: JobDeps, options: { trigger: JobTrigger }): Promise<JobRunResult[]> {
  const results: JobRunResult[] = [];
  for (const job of deps.jobs ?? registeredJobs) {
    results.push(await runJob(job.name, deps, { trigger: options.trigger, onlyIfDue: true }));
  }
  return results;
}

/** What the schedule needs of a job's recorded runs. */
export async function runHistory(db: Executor, job: string): Promise<RunHistory> {
  const [lastOk] = await db
    .select({ startedAt: jobRuns.startedAt })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.status, "ok")))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1);
  const [lastAttempt] = await db
    .select({ startedAt: jobRuns.startedAt, status: jobRuns.status })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), inArray(jobRuns.status, ["ok", "failed"])))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1);
  return {
    lastOkAt: lastOk?.startedAt ?? null,
    lastAttempt: lastAttempt ? { startedAt: lastAttempt.startedAt, status: lastAttempt.status === "failed" ? "failed" : "ok" } : null,
  };
}

/** An error as one line for staff and logs: its message (and its cause's, e.g. the database's), at most 1,000 characters. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      parts.push(current.message.split("\n")[0] ?? current.name);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return (parts.join(" — ") || "unknown error").slice(0, 1_000);
}
