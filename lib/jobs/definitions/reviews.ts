import { reviewJobs } from "../../reviews/jobs";
import { defineJob, type JobDefinition } from "../define-job";
import { dailyAt } from "../schedule";

/** When each review job runs in the day (London): opening first, then reminders, then escalation. */
const times: Record<string, { at: string; vercelCron: string }> = {
  "reviews.open": { at: "06:30", vercelCron: "30 6 * * *" },
  "reviews.remind": { at: "07:00", vercelCron: "0 7 * * *" },
  "reviews.escalate": { at: "07:15", vercelCron: "15 7 * * *" },
};

/**
 * UAP-4.2 / UAP-4.3a: the quarterly review's jobs (lib/reviews/jobs.ts), each run daily. Opening
 * is once per organisation and quarter, so running it daily also opens the review of an
 * organisation that became active during the quarter.
 */
export const reviewJobDefinitions: JobDefinition[] = reviewJobs.map((job) => {
  const time = times[job.name] ?? { at: "07:30", vercelCron: "30 7 * * *" };
  return defineJob({
    name: job.name.replace(/\./g, "-"),
    title: job.name === "reviews.open" ? "Open quarterly reviews" : job.name === "reviews.remind" ? "Review reminders" : "Overdue reviews",
    description: job.description,
    schedule: dailyAt(time.at),
    vercelCron: time.vercelCron,
    run: ({ db, clock, config, baseUrl, actor }) => job.run({ db, clock, config, baseUrl, actor }),
  });
});
