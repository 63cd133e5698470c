import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit";
import { tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { defineJob, every, JOB_LOCK_CLASS, jobs, jobsOverview, runDueJobs, runJob, type JobDefinition } from "@/lib/jobs";
import { databaseKind } from "@/tests/support/test-database";
import { auditOf, createJobWorld, DAY, footprint, makeAccount, staffActor, START, type JobWorld } from "./fixtures";

/** The runner: one run per job at a time (advisory lock), each run recorded, due by the schedule. */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld();
});
afterEach(async () => {
  await world?.dispose();
});

async function runsOf(job: string) {
  return world.db.select().from(tables.jobRuns).where(eq(tables.jobRuns.job, job)).orderBy(tables.jobRuns.startedAt);
}

/** A job that writes an audit event, then fails if told to. */
function probeJob(options: { fail: boolean }): JobDefinition {
  return defineJob({
    name: "probe",
    title: "Probe",
    description: "A test job.",
    schedule: every(15),
    vercelCron: "*/15 * * * *",
    async run({ db, clock, actor }) {
      await recordAudit(db, actor, clock, { action: "probe.ran", detail: {} });
      if (options.fail) throw new Error("the probe broke", { cause: new Error("deeper reason") });
      return { ran: 1 };
    },
  });
}

describe("runJob", () => {
  it("records each run with its trigger, times and summary", async () => {
    const result = await world.run("training-alerts", "cron");
    expect(result).toMatchObject({ job: "training-alerts", status: "ok", error: null, startedAt: world.clock.now() });
    const [run] = await runsOf("training-alerts");
    expect(run).toMatchObject({ id: result.runId, status: "ok", trigger: "cron", requestedBy: null, startedAt: world.clock.now(), error: null });
    expect(run!.summary).toEqual(result.summary);
  });

  it("rolls a failed run back entirely and records it as failed with the reason", async () => {
    const deps = { ...world.deps, jobs: [probeJob({ fail: true })] };
    const result = await runJob("probe", deps, { trigger: "timer" });
    expect(result).toMatchObject({ status: "failed", error: "the probe broke — deeper reason" });
    expect(await auditOf(world.db, "probe.ran")).toHaveLength(0);
    const [run] = await runsOf("probe");
    expect(run).toMatchObject({ status: "failed", trigger: "timer", error: "the probe broke — deeper reason" });
  });

  it("names an unknown job as not found", async () => {
    await expect(runJob("no-such-job", world.deps, { trigger: "cli" })).rejects.toBeInstanceOf(AppError);
  });

  it("audits a run asked for by a person (Run now) in their name, in the run's transaction", async () => {
    const alex = await staffActor(world.db);
    const result = await runJob("sla-escalations", world.deps, { trigger: "web", requestedBy: alex });
    const [event] = await auditOf(world.db, "job.run_requested");
    expect(event).toMatchObject({ actorId: alex.accountId, channel: "web", actorLabel: "Alex Morgan" });
    expect(event!.detail).toMatchObject({ job: "sla-escalations", status: "ok", runId: result.runId });
    expect((await runsOf("sla-escalations"))[0]).toMatchObject({ trigger: "web", requestedBy: "Alex Morgan" });
  });

  it("UAP-4.3b every job run twice at the same instant acts once", async () => {
    // Something for every job to do: an idle account, an ending one, expired training, an overdue request, a full licence.
    await makeAccount(world, { lastSignInAt: new Date(Date.parse(START) - 61 * DAY), activatedAt: new Date(Date.parse(START) - 100 * DAY) });
    await makeAccount(world, { endDate: "2026-05-06", igTrainingDate: "2024-01-01" });
    await world.db.insert(tables.requests).values({ type: "new_user", title: "New user – Jo Example", organisationId: world.meadowbankId, channel: "web", dueAt: new Date(Date.parse(START) - 1) });
    // 6 or 7 licences in use (whether the idle account is suspended first or not) of 6: past 90 % either way.
    await world.db.update(tables.licenceAllocations).set({ allocation: 6 }).where(eq(tables.licenceAllocations.organisationId, world.meadowbankId));

    const first = await Promise.all(jobs.flatMap((job) => [world.run(job.name), world.run(job.name)]));
    expect(first.every((r) => r.status === "ok" || r.status === "skipped_locked")).toBe(true);
    const acted = await footprint(world.db);
    const second = await Promise.all(jobs.map((job) => world.run(job.name)));
    expect(second.map((r) => r.status)).toEqual(jobs.map(() => "ok"));
    expect(await footprint(world.db)).toEqual(acted);
    // Each kind of action happened exactly once.
    expect(await auditOf(world.db, "account.suspended")).toHaveLength(1); // the idle account (the other ends in two days: warned)
    expect(await auditOf(world.db, "organisation.licence_alert_sent")).toHaveLength(1);
    expect(await auditOf(world.db, "request.sla_escalated")).toHaveLength(1);
    expect(await auditOf(world.db, "account.end_date_warning_sent")).toHaveLength(2); // it, and Kate from the demo
    expect(await auditOf(world.db, "account.training_expired_alert_sent")).toHaveLength(2); // it, and Amina from the demo
  });
});

describe("runDueJobs", () => {
  it("runs each job when its schedule says so, and only then", async () => {
    const first = await runDueJobs(world.deps, { trigger: "timer" });
    expect(first.map((r) => r.status)).toEqual(jobs.map(() => "ok"));
    expect((await runDueJobs(world.deps, { trigger: "timer" })).map((r) => r.status)).toEqual(jobs.map(() => "not_due"));

    world.clock.advance(15 * 60_000); // 10:15: the 15-minute job only
    const later = await runDueJobs(world.deps, { trigger: "timer" });
    expect(later.filter((r) => r.status === "ok").map((r) => r.job)).toEqual(["sla-escalations"]);

    world.clock.set("2026-05-04T23:30:00.000Z"); // 00:30 in London on the 5th: audit checkpoint (23:45 on the 4th), end dates (00:15), organisation changes (00:30), licences (hourly), SLA
    const night = await runDueJobs(world.deps, { trigger: "timer" });
    expect(night.filter((r) => r.status === "ok").map((r) => r.job).sort()).toEqual(["audit-checkpoint", "end-dates", "licence-alerts", "organisation-changes", "sla-escalations"]);

    world.clock.set("2026-05-05T06:05:00.000Z"); // 07:05 in London: audit verification (02:30), job run retention (03:30), inactivity (06:00), reviews opened (06:30) and reminded (07:00), training (07:00) too
    const morning = await runDueJobs(world.deps, { trigger: "timer" });
    expect(morning.filter((r) => r.status === "ok").map((r) => r.job).sort()).toEqual([
      "audit-verify",
      "inactivity",
      "job-runs-retention",
      "licence-alerts",
      "reviews-open",
      "reviews-remind",
      "sla-escalations",
      "training-alerts",
    ]);
  });

  it("waits 15 minutes before the schedule retries a failed job", async () => {
    const deps = { ...world.deps, jobs: [probeJob({ fail: true })] };
    expect((await runDueJobs(deps, { trigger: "timer" }))[0]!.status).toBe("failed");
    world.clock.advance(60_000);
    expect((await runDueJobs(deps, { trigger: "timer" }))[0]!.status).toBe("not_due");
    world.clock.advance(14 * 60_000);
    expect((await runDueJobs(deps, { trigger: "timer" }))[0]!.status).toBe("failed");
  });

  it("shows staff each job's schedule, last runs and next run", async () => {
    await runDueJobs(world.deps, { trigger: "timer" });
    world.clock.advance(15 * 60_000);
    await runDueJobs(world.deps, { trigger: "timer" });
    const overview = await jobsOverview({ db: world.db, clock: world.clock });
    const sla = overview.find((j) => j.name === "sla-escalations")!;
    expect(sla).toMatchObject({ schedule: "every 15 minutes", due: false, nextRunAt: new Date("2026-05-04T09:30:00.000Z") });
    expect(sla.recentRuns.map((r) => r.startedAt)).toEqual([new Date("2026-05-04T09:15:00.000Z"), new Date(START)]);
    const inactivity = overview.find((j) => j.name === "inactivity")!;
    expect(inactivity).toMatchObject({ schedule: "daily at 06:00 (Europe/London)", nextRunAt: new Date("2026-05-05T05:00:00.000Z") });
    expect(inactivity.lastRun).toMatchObject({ status: "ok", trigger: "timer" });
  });
});

// Several connections are needed: declared on the PostgreSQL project only.
(databaseKind() === "postgres" ? describe : () => undefined)("on PostgreSQL, over separate connections", () => {
  it("a runner that finds the job's lock held records skipped_locked and acts on nothing", async () => {
    await makeAccount(world, { lastSignInAt: new Date(Date.parse(START) - 61 * DAY), activatedAt: new Date(Date.parse(START) - 100 * DAY) });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = world.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${JOB_LOCK_CLASS}::int, hashtext('inactivity'))`);
      locked();
      await released;
    });
    await isLocked;
    const started = Date.now();
    const skipped = await world.run("inactivity", "timer");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(skipped.status).toBe("skipped_locked");
    expect(await auditOf(world.db, "account.suspended")).toHaveLength(0);
    release();
    await holder;
    expect((await runsOf("inactivity")).map((r) => r.status)).toEqual(["skipped_locked"]);
    expect((await world.run("inactivity")).status).toBe("ok");
  });

  it("UAP-4.3b two runners at once act once", async () => {
    const idle = await makeAccount(world, { lastSignInAt: new Date(Date.parse(START) - 61 * DAY), activatedAt: new Date(Date.parse(START) - 100 * DAY) });
    // Four runners at once, each transaction on its own connection from the pool (as several servers would be).
    const results = await Promise.all([world.run("inactivity", "timer"), world.run("inactivity", "cron"), world.run("inactivity", "timer"), world.run("inactivity", "cli")]);
    expect(results.every((r) => r.status === "ok" || r.status === "skipped_locked")).toBe(true);
    expect(results.filter((r) => r.status === "ok").length).toBeGreaterThanOrEqual(1);
    expect(results.reduce((n, r) => n + Number(r.summary.suspended ?? 0), 0)).toBe(1);
    expect(await auditOf(world.db, "account.suspended", idle.id)).toHaveLength(1);
    const [{ n }] = (await world.db.select({ n: sql<number>`count(*)::int` }).from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "inactivity_suspended"))) as [{ n: number }];
    expect(n).toBe(1);
  });
});
