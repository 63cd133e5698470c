import { desc, eq, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import { jobRuns } from "../db/schema/jobs";
import type { Executor } from "../db/types";
import type { JobDefinition, JobSummary } from "./define-job";
import { jobs as registeredJobs } from "./registry";
import { describeSchedule, isDue, nextRunAt, type RunHistory } from "./schedule";

/** Read models of the jobs and their runs, for the staff Jobs page and `portal jobs list`. */

export interface JobRunView {
  id: string;
  status: "ok" | "failed" | "skipped_locked";
  trigger: "timer" | "cron" | "cli" | "web";
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  summary: JobSummary;
  error: string | null;
}

export interface JobView {
  name: string;
  title: string;
  description: string;
  schedule: string;
  due: boolean;
  nextRunAt: Date;
  lastRun: JobRunView | null;
  recentRuns: JobRunView[];
}

function toView(row: typeof jobRuns.$inferSelect): JobRunView {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    requestedBy: row.requestedBy,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.finishedAt.getTime() - row.startedAt.getTime(),
    summary: row.summary as JobSummary,
    error: row.error,
  };
}

/** Every job with its schedule, whether it is due, and its last `runsPerJob` runs (one query for all). */
export async function jobsOverview(options: { db: Executor; clock: Clock; runsPerJob?: number; jobs?: readonly JobDefinition[] }): Promise<JobView[]> {
  const { db, clock } = options;
  const list = options.jobs ?? registeredJobs;
  const limit = options.runsPerJob ?? 5;
  const now = clock.now();
  // The latest runs of each job, and the latest ok and latest attempted run that the schedule reads.
  const ranked = db
    .select({
      id: jobRuns.id,
      rank: sql<number>`row_number() over (partition by ${jobRuns.job} order by ${jobRuns.startedAt} desc)`.as("rank"),
      okRank: sql<number>`row_number() over (partition by ${jobRuns.job}, ${jobRuns.status} = 'ok' order by ${jobRuns.startedAt} desc)`.as("ok_rank"),
      attemptRank: sql<number>`row_number() over (partition by ${jobRuns.job}, ${jobRuns.status} <> 'skipped_locked' order by ${jobRuns.startedAt} desc)`.as("attempt_rank"),
    })
    .from(jobRuns)
    .as("ranked");
  const rows = await db
    .select({ run: jobRuns, rank: ranked.rank, okRank: ranked.okRank, attemptRank: ranked.attemptRank })
    .from(jobRuns)
    .innerJoin(ranked, eq(ranked.id, jobRuns.id))
    .where(sql`${ranked.rank} <= ${limit} or ${ranked.okRank} = 1 or ${ranked.attemptRank} = 1`)
    .orderBy(desc(jobRuns.startedAt));
  return list.map((job) => {
    const mine = rows.filter((r) => r.run.job === job.name);
    const lastOk = mine.find((r) => r.run.status === "ok");
    const lastAttempt = mine.find((r) => r.run.status !== "skipped_locked");
    const history: RunHistory = {
      lastOkAt: lastOk?.run.startedAt ?? null,
      lastAttempt: lastAttempt ? { startedAt: lastAttempt.run.startedAt, status: lastAttempt.run.status === "failed" ? "failed" : "ok" } : null,
    };
    const recentRuns = mine.filter((r) => Number(r.rank) <= limit).map((r) => toView(r.run));
    return {
      name: job.name,
      title: job.title,
      description: job.description,
      schedule: describeSchedule(job.schedule),
      due: isDue(job.schedule, history, now),
      nextRunAt: nextRunAt(job.schedule, history, now),
      lastRun: recentRuns[0] ?? null,
      recentRuns,
    };
  });
}

/** One job's runs, newest first. */
export async function jobRunsOf(options: { db: Executor; job: string; limit?: number }): Promise<JobRunView[]> {
  const rows = await options.db
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.job, options.job))
    .orderBy(desc(jobRuns.startedAt))
    .limit(options.limit ?? 50);
  return rows.map(toView);
}
