import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { auditOf, createJobWorld, DAY, START, type JobWorld } from "./fixtures";

/**
 * job_runs retention (issue 6): runs older than jobs.runRetention.days go, except each job's
 * latest keepLatestPerJob runs and its last successful and last failed run. Time travel: the
 * runs are written at chosen instants, then the job runs at START and 100 days later.
 */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld({ seed: false, config: { jobs: { runRetention: { days: 90, keepLatestPerJob: 3 } } } });
});
afterEach(async () => {
  await world?.dispose();
});

type Status = "ok" | "failed" | "skipped_locked";
const at = (daysAgo: number, extraMs = 0) => new Date(Date.parse(START) - daysAgo * DAY - extraMs);

async function recordRuns(job: string, runs: [daysAgo: number, status: Status, extraMs?: number][]) {
  await world.db.insert(tables.jobRuns).values(
    runs.map(([daysAgo, status, extraMs]) => ({
      job,
      status,
      trigger: "timer" as const,
      startedAt: at(daysAgo, extraMs),
      finishedAt: at(daysAgo, extraMs),
      summary: { daysAgo },
    })),
  );
}

async function daysAgoOf(job: string): Promise<number[]> {
  const rows = await world.db.select().from(tables.jobRuns).where(eq(tables.jobRuns.job, job)).orderBy(asc(tables.jobRuns.startedAt));
  return rows.map((row) => Math.round((Date.parse(START) - row.startedAt.getTime()) / DAY));
}

describe("job-runs-retention", () => {
  beforeEach(async () => {
    // Ten old runs and five recent ones: the old go.
    await recordRuns("sla-escalations", [...[200, 190, 180, 170, 160, 150, 140, 130, 120, 110].map((d) => [d, "ok"] as [number, Status]), [5, "ok"], [4, "ok"], [3, "ok"], [2, "ok"], [1, "ok"]]);
    // Failing for months: the last success stays (the schedule reads it), and the latest three.
    await recordRuns("end-dates", [[120, "ok"], [100, "failed"], [99, "failed"], [98, "failed"], [97, "failed"]]);
    // A job that rarely runs keeps its latest runs however old.
    await recordRuns("licence-alerts", [[300, "ok"], [299, "failed"]]);
    // Lock skips count as runs for "latest", but never as the last success or failure.
    await recordRuns("training-alerts", [[200, "skipped_locked"], [199, "skipped_locked"], [198, "skipped_locked"], [197, "skipped_locked"], [196, "skipped_locked"], [195, "skipped_locked"], [1, "ok"]]);
    // Exactly 90 days old stays; a minute older goes.
    await recordRuns("reviews-open", [[90, "ok", 60_000], [90, "ok"], [3, "ok"], [2, "ok"], [1, "ok"]]);
  });

  it("deletes the runs older than the configured days except each job's latest and its last success and failure, and audits what went", async () => {
    const result = await world.run("job-runs-retention", "timer");
    expect(result).toMatchObject({ status: "ok", summary: { runsDeleted: 16, jobs: ["end-dates", "reviews-open", "sla-escalations", "training-alerts"] } });

    expect(await daysAgoOf("sla-escalations")).toEqual([5, 4, 3, 2, 1]);
    expect(await daysAgoOf("end-dates")).toEqual([120, 99, 98, 97]);
    expect(await daysAgoOf("licence-alerts")).toEqual([300, 299]);
    expect(await daysAgoOf("training-alerts")).toEqual([196, 195, 1]);
    expect(await daysAgoOf("reviews-open")).toEqual([90, 3, 2, 1]);

    const [event] = await auditOf(world.db, "job.runs_deleted");
    expect(event).toMatchObject({
      channel: "job",
      actorLabel: "Job run history clean-up",
      detail: {
        olderThan: at(90).toISOString(),
        days: 90,
        keepLatestPerJob: 3,
        deleted: { "end-dates": 1, "reviews-open": 1, "sla-escalations": 10, "training-alerts": 4 },
      },
    });
  });

  it("run twice at the same instant deletes once; 100 days on, the runs then older go in turn", async () => {
    await world.run("job-runs-retention", "timer");
    const again = await world.run("job-runs-retention", "timer");
    expect(again).toMatchObject({ status: "ok", summary: { runsDeleted: 0, jobs: [] } });
    expect(await auditOf(world.db, "job.runs_deleted")).toHaveLength(1);

    world.travel(100);
    const later = await world.run("job-runs-retention", "timer");
    // sla-escalations' five runs are now 101–105 days old: the latest three stay (two go), as do
    // reviews-open's (the one then 190 days old goes). The retention job's own runs are its latest.
    expect(later.summary).toMatchObject({ runsDeleted: 3, jobs: ["reviews-open", "sla-escalations"] });
    expect(await daysAgoOf("sla-escalations")).toEqual([3, 2, 1]);
    expect(await daysAgoOf("reviews-open")).toEqual([3, 2, 1]);
    expect(await daysAgoOf("job-runs-retention")).toHaveLength(3);
    expect(await auditOf(world.db, "job.runs_deleted")).toHaveLength(2);
  });
});
