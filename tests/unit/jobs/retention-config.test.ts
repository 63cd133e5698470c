import { describe, expect, it } from "vitest";
import { ConfigError, mergeConfig, validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";

/** jobs.runRetention: how long the jobs' run records are kept (lib/jobs/definitions/job-runs-retention.ts). */

function problemsOf(overrides: Record<string, unknown>): { path: string; message: string }[] {
  try {
    validateConfig(mergeConfig(councilProfile, overrides));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("jobs.runRetention", () => {
  it("keeps 90 days and each job's latest 50 runs unless configured", () => {
    expect(validateConfig(councilProfile).jobs.runRetention).toEqual({ days: 90, keepLatestPerJob: 50 });
    expect(validateConfig(mergeConfig(councilProfile, { jobs: { runRetention: { days: 400 } } })).jobs.runRetention).toEqual({ days: 400, keepLatestPerJob: 50 });
  });

  it.each([
    [{ days: 3 }, "jobs.runRetention.days"],
    [{ days: 30.5 }, "jobs.runRetention.days"],
    [{ days: "90" }, "jobs.runRetention.days"],
    [{ keepLatestPerJob: 0 }, "jobs.runRetention.keepLatestPerJob"],
  ])("refuses %o, naming %s", (runRetention, path) => {
    expect(problemsOf({ jobs: { runRetention } }).map((p) => p.path)).toEqual([path]);
  });
});
