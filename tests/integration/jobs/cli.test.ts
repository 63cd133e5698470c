import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliDatabase, runPortal, type CliDatabase } from "@/tests/support/cli";
import { jobs as registry } from "@/lib/jobs/registry";

/** `portal jobs list|run` from a terminal: the same registry and runner as the timer and cron. */
describe("portal jobs (CLI)", { timeout: 180_000 }, () => {
  let db: CliDatabase;

  beforeAll(async () => {
    db = await createCliDatabase();
    const seeded = await runPortal(["seed", "demo", "--json"], { env: db.env });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await db?.dispose();
  });

  it("lists the jobs, runs the due ones, then a named one, audited in a team lead's name with --as", async () => {
    const listed = await runPortal(["jobs", "list", "--json"], { env: db.env });
    expect(listed.code, listed.stderr).toBe(0);
    const { jobs } = listed.json() as { jobs: { name: string; schedule: string; due: boolean; lastRun: unknown }[] };
    expect(jobs.map((j) => j.name)).toEqual(registry.map((j) => j.name));
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(["end-dates", "inactivity", "organisation-changes", "reviews-open", "licence-alerts", "sla-escalations", "training-alerts"]));
    expect(jobs.every((j) => j.due && j.lastRun === null)).toBe(true);

    const due = await runPortal(["jobs", "run", "--json"], { env: db.env });
    expect(due.code, due.stderr).toBe(0);
    const { runs } = due.json() as { runs: { job: string; status: string; summary: Record<string, number> }[] };
    expect(runs.map((r) => r.status)).toEqual(registry.map(() => "ok"));
    // The demo: Kate's account ends in 5 days; Amina has not signed in for 52 days and her training is 400 days old.
    expect(runs.find((r) => r.job === "end-dates")!.summary).toMatchObject({ warned: 1 });
    expect(runs.find((r) => r.job === "inactivity")!.summary).toMatchObject({ warned: 1, suspended: 0 });
    expect(runs.find((r) => r.job === "training-alerts")!.summary).toMatchObject({ alerted: 1 });

    const again = await runPortal(["jobs", "run"], { env: db.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("inactivity: not due");

    const named = await runPortal(["jobs", "run", "inactivity", "--as", "alex.morgan@council.example.org", "--json"], { env: db.env });
    expect(named.code, named.stderr).toBe(0);
    expect((named.json() as { runs: { status: string; summary: Record<string, number> }[] }).runs[0]).toMatchObject({ status: "ok", summary: { warned: 0, suspended: 0 } });

    // A provider user may not run jobs.
    const refused = await runPortal(["jobs", "run", "inactivity", "--as", "priya.shah@meadowbank-care.example.org", "--json"], { env: db.env });
    expect(refused.code).toBe(1);
    expect((refused.json() as { error: { code: string } }).error.code).toBe("forbidden");

    const unknown = await runPortal(["jobs", "run", "nonsense", "--json"], { env: db.env });
    expect(unknown.code).toBe(1);
    expect((unknown.json() as { error: { code: string } }).error.code).toBe("not_found");
  });
});
