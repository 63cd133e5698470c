import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeSummary } from "@/lib/jobs/describe-summary";
import { DUE_JOBS, findJob, jobs } from "@/lib/jobs/registry";
import { jobsTimerEnabled } from "@/lib/runtime/job-runner";

describe("the job registry", () => {
  it("names each job once, in the form the CLI and the cron path use, never the cron route's 'due'", () => {
    const names = jobs.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(names).not.toContain(DUE_JOBS);
    expect(findJob("inactivity")?.title).toBe("Inactivity suspensions");
    expect(findJob("nope")).toBeUndefined();
  });

  it("has one vercel.json cron entry per job, with the job's own schedule", () => {
    const vercel = JSON.parse(readFileSync(new URL("../../../vercel.json", import.meta.url), "utf8")) as { crons: { path: string; schedule: string }[] };
    expect(vercel.crons).toEqual(jobs.map((j) => ({ path: `/api/cron/${j.name}`, schedule: j.vercelCron })));
  });

  it("reads run summaries to staff", () => {
    expect(describeSummary({ suspended: 2, sessionsEnded: 1, warned: 3 })).toBe("2 suspended, 1 sessions ended, 3 warned");
    expect(describeSummary({ suspended: 0, warned: 0 })).toBe("nothing to do (0 suspended, 0 warned)");
    expect(describeSummary({ somethingNew: 4 })).toBe("4 something new");
  });
});

describe("the in-process timer", () => {
  it.each([
    [{}, true],
    [{ PORTAL_JOBS: "off" }, false],
    [{ PORTAL_JOBS: "OFF " }, false],
    [{ VERCEL: "1" }, false],
    [{ VERCEL: "1", PORTAL_JOBS: "on" }, true],
    [{ DATABASE_URL: "postgres://x/y" }, true],
  ] as const)("with %o is %s", (env, enabled) => {
    expect(jobsTimerEnabled(env)).toBe(enabled);
  });
});
