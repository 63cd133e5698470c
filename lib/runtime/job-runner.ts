import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Database } from "../db/types";
import type { Env } from "../env";
import { runDueJobs, stderrJobLog, type JobDeps, type JobRunResult } from "../jobs/run-job";
import type { JobDefinition, JobLog } from "../jobs/define-job";

/** How often the timer looks for due jobs. */
export const JOB_RUNNER_INTERVAL_MS = 60_000;

export interface JobRunner {
  /** Runs every due job now unless a sweep is running (then waits for that one); null once stopped. */
  runOnce(): Promise<JobRunResult[] | null>;
  /** Stops the timer and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

export interface StartJobRunnerOptions {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  env?: Env;
  intervalMs?: number;
  log?: JobLog;
  jobs?: readonly JobDefinition[];
}

/**
 * Whether this server process runs the scheduled jobs itself. PORTAL_JOBS=off turns the timer
 * off (then run them from cron or the CLI); "on" forces it on. Unset, it is on — except on
 * Vercel, where no process lives between requests and vercel.json's cron entries call
 * /api/cron/[job] instead. With several servers on one PostgreSQL database every server may
 * run the timer: each job's advisory lock lets one of them act.
 */
export function jobsTimerEnabled(env: Env): boolean {
  const setting = env.PORTAL_JOBS?.trim().toLowerCase();
  if (setting === "off") return false;
  if (setting === "on") return true;
  return !env.VERCEL;
}

/**
 * The in-process scheduler: every minute, runs the jobs whose schedule says they are due
 * (lib/jobs/registry.ts). Sweeps never overlap: a tick that finds one still running is
 * skipped. The timer is unref'd, so it never keeps the process alive on its own. Returns null
 * (and runs nothing) when jobsTimerEnabled says no.
 */
export function startJobRunner(options: StartJobRunnerOptions): JobRunner | null {
  const env = options.env ?? process.env;
  if (!jobsTimerEnabled(env)) return null;
  const log = options.log ?? stderrJobLog;
  const deps: JobDeps = { db: options.db, clock: options.clock, config: options.config, baseUrl: options.baseUrl, log, jobs: options.jobs };
  let running: Promise<JobRunResult[] | null> | null = null;
  let stopped = false;

  const sweep = async (): Promise<JobRunResult[] | null> => {
    try {
      return await runDueJobs(deps, { trigger: "timer" });
    } catch (error) {
      // The database may be briefly unreachable: say so and try again at the next tick.
      log("error", "jobs.timer_failed", { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      return null;
    }
  };

  const runOnce = (): Promise<JobRunResult[] | null> => {
    if (stopped) return Promise.resolve(null);
    running ??= sweep().finally(() => {
      running = null;
    });
    return running;
  };

  const intervalMs = options.intervalMs ?? JOB_RUNNER_INTERVAL_MS;
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  // Whatever fell due while the server was down runs now, not a minute later.
  void runOnce();
  log("info", "jobs.timer_started", { intervalMs });

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
