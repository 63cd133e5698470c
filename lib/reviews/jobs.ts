import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { escalateOverdueReviews } from "./escalate-overdue-reviews";
import { openQuarterlyReviews } from "./open-quarterly-reviews";
import { sendReviewReminders } from "./send-review-reminders";

/** What every review job is given: the same for the CLI, the cron endpoint and the in-process timer. */
export interface ReviewJobContext {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  /** The portal's address, for links in the emails. */
  baseUrl: string;
}

export interface ReviewJob {
  name: string;
  description: string;
  /** When it should run, as people read it. */
  schedule: string;
  /** The same as a cron expression (UTC), for vercel.json and the in-process timer. */
  cron: string;
  /** Idempotent: running it twice at the same instant acts once. Returns a JSON-able summary. */
  run: (context: ReviewJobContext) => Promise<Record<string, unknown>>;
}

/**
 * The quarterly review's jobs (UAP-4.2, UAP-4.3a), for the jobs registry (lib/jobs) to run.
 * Each takes { db, clock, config, baseUrl } and acts as the system actor through the "job"
 * channel; each is safe to run more often than its schedule (opening is once per organisation
 * and period, reminders once per threshold, escalation once per review).
 */
export const reviewJobs: ReviewJob[] = [
  {
    name: "reviews.open",
    description: "Opens this quarter's review of users for every active provider organisation and emails its Lead correspondent the link (UAP-4.2).",
    schedule: "quarterly: first day of Jan/Apr/Jul/Oct",
    cron: "0 6 1 1,4,7,10 *",
    run: async (context) => ({ ...(await openQuarterlyReviews(context)) }),
  },
  {
    name: "reviews.remind",
    description: "Reminds Lead correspondents of reviews not yet signed off, 14 and 7 days (configurable) before the due date, once each (UAP-4.2).",
    schedule: "daily",
    cron: "0 7 * * *",
    run: async (context) => ({ ...(await sendReviewReminders(context)) }),
  },
  {
    name: "reviews.escalate",
    description: "Flags reviews not signed off by their due date and emails each to the operator's team once (UAP-4.2).",
    schedule: "daily",
    cron: "15 7 * * *",
    run: async (context) => ({ ...(await escalateOverdueReviews(context)) }),
  },
];
