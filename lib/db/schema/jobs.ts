import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";

export const jobRunStatuses = ["ok", "failed", "skipped_locked"] as const;
export const jobTriggers = ["timer", "cron", "cli", "web"] as const;

/**
 * One row per run of a scheduled job (lib/jobs): when it started and finished, what it did
 * (summary) or why it failed. A run that found another runner holding the job's lock is
 * recorded as skipped_locked. Staff read these on Back office → Jobs.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    job: text("job").notNull(),
    status: text("status", { enum: jobRunStatuses }).notNull(),
    /** Which way in started it: the in-process timer, the cron endpoint, the CLI or "Run now". */
    trigger: text("trigger", { enum: jobTriggers }).notNull(),
    /** Who asked, for "Run now" (a staff account's name) or the CLI; null for the schedule. */
    requestedBy: text("requested_by"),
    startedAt: at("started_at").notNull(),
    finishedAt: at("finished_at").notNull(),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
  },
  (t) => [
    index("job_runs_job_idx").on(t.job, t.startedAt),
    check("job_runs_status_check", sql`${t.status} in ('ok','failed','skipped_locked')`),
    check("job_runs_trigger_check", sql`${t.trigger} in ('timer','cron','cli','web')`),
  ],
);

/**
 * "Sent once" records of the jobs' emails: one row per kind of notice, subject (an account,
 * request or organisation) and occurrence (e.g. the date the inactivity clock started, or the
 * training date that expired). Inserting with ON CONFLICT DO NOTHING … RETURNING picks exactly
 * the subjects not yet told, so a job run twice, or by two runners, tells each one once.
 */
export const jobNotices = pgTable(
  "job_notices",
  {
    kind: text("kind").notNull(),
    subjectId: uuid("subject_id").notNull(),
    occurrenceKey: text("occurrence_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.subjectId, t.occurrenceKey] })],
);
