import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { silentJobLog } from "@/lib/jobs";
import { jobs } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/runtime/job-runner";
import { BASE_URL, createJobWorld, type JobWorld } from "./fixtures";

/** The in-process timer of the embedded default (lib/runtime/job-runner.ts). */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld();
});
afterEach(async () => {
  await world?.dispose();
});

describe("the job timer", () => {
  it("runs the due jobs at start and on each tick, one sweep at a time, and stops cleanly", async () => {
    const runner = startJobRunner({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, env: {}, intervalMs: 60_000, log: silentJobLog });
    expect(runner).not.toBeNull();
    // The start-up sweep is already under way: asking again joins it rather than starting another.
    const [a, b] = await Promise.all([runner!.runOnce(), runner!.runOnce()]);
    expect(a).toBe(b);
    expect(a!.map((r) => r.status)).toEqual(jobs.map(() => "ok"));
    expect((await runner!.runOnce())!.every((r) => r.status === "not_due")).toBe(true);
    world.clock.advance(15 * 60_000);
    expect((await runner!.runOnce())!.filter((r) => r.status === "ok").map((r) => r.job)).toEqual(["sla-escalations"]);
    await runner!.stop();
    expect(await runner!.runOnce()).toBeNull();
    const runs = await world.db.select().from(tables.jobRuns);
    expect(runs.every((r) => r.trigger === "timer")).toBe(true);
    expect(runs).toHaveLength(jobs.length + 1);
  });

  it("does not start with PORTAL_JOBS=off", () => {
    expect(startJobRunner({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, env: { PORTAL_JOBS: "off" }, log: silentJobLog })).toBeNull();
  });
});
