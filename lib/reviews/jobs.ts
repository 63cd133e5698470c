import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { escalateOverdueReviews } from "./escalate-overdue-reviews";
import { openQuarterlyReviews } from "./open-quarterly-reviews";
import { sendReviewReminders } from "./send-review-reminders";

/**
 * What every review job is given: the same for the CLI, the cron endpoint and the in-process
 * timer. `db` may be the job run's transaction (each use case then runs in a savepoint of it);
 * `actor` defaults to systemActor("job", "Quarterly reviews").
 */
export interface ReviewJobContext {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  /** The portal's address, for links in the emails. */
  baseUrl: string;
  actor?: Actor;
}

/** Counts and short lists only, so a run's summary stores flat (the shape of lib/jobs' JobSummary). */
export type ReviewJobSummary = Record<string, number | string | boolean | null | string[]>;

export interface ReviewJob {
  name: string;
  description: string;
  /** When it should run, as people read it. */
  schedule: string;
  /** The same as a cron expression (UTC), for vercel.json and the in-process timer. */
  cron: string;
  /** Idempotent: running it twice at the same instant acts once. */
  run: (context: ReviewJobContext) => Promise<ReviewJobSummary>;
}

/**
 * The quarterly review's jobs (UAP-4.2, UAP-4.3a), for the jobs registry (lib/jobs) to run.
 * Each is safe to run more often than its schedule: opening is once per organisation and
 * period (run daily, it also opens the review of an organisation that became active during the
 * quarter), reminders once per threshold, escalation once per review. The full summaries
 * (with ids) come from the use cases themselves; these are the flat versions.
 */
export const reviewJobs: ReviewJob[] = [
  {
    name: "reviews.open",
    description: "Opens this quarter's review of users for every active provider organisation and emails its Lead correspondent the link (UAP-4.2, UAP-4.3a).",
    schedule: "quarterly: first day of Jan/Apr/Jul/Oct",
    cron: "0 6 1 1,4,7,10 *",
    run: async (context) => {
      const s = await openQuarterlyReviews(context);
      return { period: s.period.label, periodStart: s.period.start, dueOn: s.period.dueOn, opened: s.opened, accounts: s.accounts, emailed: s.emailed, organisations: s.reviews.map((r) => r.organisationName) };
    },
  },
  {
    name: "reviews.remind",
    description: "Reminds Lead correspondents of reviews not yet signed off, 14 and 7 days (configurable) before the due date, once each (UAP-4.2).",
    schedule: "daily",
    cron: "0 7 * * *",
    run: async (context) => {
      const s = await sendReviewReminders(context);
      return { today: s.today, reminded: s.reminded, reviews: s.reviews.map((r) => `${r.reviewId}:${r.daysBefore}`) };
    },
  },
  {
    name: "reviews.escalate",
    description: "Flags reviews not signed off by their due date and emails each to the operator's team once (UAP-4.2).",
    schedule: "daily",
    cron: "15 7 * * *",
    run: async (context) => {
      const s = await escalateOverdueReviews(context);
      return { today: s.today, escalated: s.escalated, organisations: s.reviews.map((r) => r.organisationName) };
    },
  },
];
