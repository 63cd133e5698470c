import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeAccountEndDate } from "@/lib/accounts/change-account-end-date";
import { tables } from "@/lib/db";
import { accountById, auditOf, createJobWorld, footprint, mailOf, makeAccount, PRIYA, staffActor, type JobWorld } from "./fixtures";

/** CC-7c: temporary staff are suspended on their end date, and warned (with their Lead) 7 days before. */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld(); // Monday 4 May 2026, 10:00 in London
});
afterEach(async () => {
  await world?.dispose();
});

describe("end dates", () => {
  it("CC-7c warns the user and their Lead correspondent 7 days before the end date, once, with the link to ask for an extension", async () => {
    const account = await makeAccount(world, { endDate: "2026-05-11" });
    const later = await makeAccount(world, { endDate: "2026-05-12" });
    const result = await world.run("end-dates");
    expect(result.status).toBe("ok");

    const [warning] = await mailOf(world.db, "end_date_warning", account.email);
    expect(warning).toMatchObject({ to: [account.email], cc: [PRIYA] });
    expect(warning!.subject).toContain("Monday 11 May 2026");
    expect(warning!.text).toContain(`https://portal.example.org/portal/requests/new/end_date_change?account=${account.id}`);
    const [event] = await auditOf(world.db, "account.end_date_warning_sent", account.id);
    expect(event).toMatchObject({ channel: "job", actorLabel: "End dates" });
    expect(event!.detail).toMatchObject({ rule: "CC-7c", endDate: "2026-05-11", to: [account.email, PRIYA] });
    // Eight days ahead is outside the window: not yet.
    expect(await mailOf(world.db, "end_date_warning", later.email)).toHaveLength(0);

    const before = await footprint(world.db);
    world.travel(0.5);
    await world.run("end-dates");
    expect(await footprint(world.db)).toEqual(before);
    world.travel(1);
    await world.run("end-dates");
    expect(await mailOf(world.db, "end_date_warning", account.email)).toHaveLength(1);
    expect(await mailOf(world.db, "end_date_warning", later.email)).toHaveLength(1);
  });

  it("CC-7c suspends the account as its end date begins in London, ends its sessions and tells the user and Lead", async () => {
    const account = await makeAccount(world, { endDate: "2026-05-11" });
    await world.db.insert(tables.sessions).values({ accountId: account.id, securityStamp: account.securityStamp, expiresAt: new Date("2026-06-01T00:00:00Z") });

    world.clock.set("2026-05-10T22:59:00.000Z"); // 23:59 on Sunday 10 May in London
    await world.run("end-dates");
    expect((await accountById(world.db, account.id)).status).toBe("active");

    world.clock.set("2026-05-10T23:01:00.000Z"); // 00:01 on Monday 11 May in London
    const result = await world.run("end-dates");
    expect(result.summary).toMatchObject({ suspended: 1, sessionsEnded: 1 });
    expect(await accountById(world.db, account.id)).toMatchObject({ status: "suspended", suspensionReason: "End date reached" });
    const [session] = await world.db.select().from(tables.sessions).where(eq(tables.sessions.accountId, account.id));
    expect(session).toMatchObject({ endReason: "account_not_active", endedAt: world.clock.now() });
    const [event] = await auditOf(world.db, "account.suspended", account.id);
    expect(event!.detail).toMatchObject({ before: { status: "active" }, after: { status: "suspended" }, rule: "CC-7c", endDate: "2026-05-11", sessionsEnded: 1 });
    const [mail] = await mailOf(world.db, "end_date_suspended", account.email);
    expect(mail!.cc).toEqual([PRIYA]);

    // Run again at the same instant: nothing more.
    const again = await world.run("end-dates");
    expect(again.summary).toEqual({ suspended: 0, sessionsEnded: 0, warned: 0 });
  });

  it("CC-7c an extended end date is warned about again, and the account is suspended only on the new date", async () => {
    const account = await makeAccount(world, { endDate: "2026-05-08" });
    await world.run("end-dates");
    expect(await mailOf(world.db, "end_date_warning", account.email)).toHaveLength(1);

    const staff = await staffActor(world.db);
    await world.db.transaction((tx) => changeAccountEndDate({ tx, actor: staff, clock: world.clock, accountId: account.id, endDate: "2026-06-30" }));
    world.clock.set("2026-05-08T08:00:00.000Z");
    await world.run("end-dates");
    expect((await accountById(world.db, account.id)).status).toBe("active");

    world.clock.set("2026-06-23T08:00:00.000Z");
    await world.run("end-dates");
    const warnings = await mailOf(world.db, "end_date_warning", account.email);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]!.subject).toContain("Tuesday 30 June 2026");
    world.clock.set("2026-06-30T08:00:00.000Z");
    await world.run("end-dates");
    expect((await accountById(world.db, account.id)).status).toBe("suspended");
  });

  it("CC-7c an account past its end date while waiting for set-up is suspended too; suspended accounts are left as they are", async () => {
    const pending = await makeAccount(world, { status: "pending", endDate: "2026-05-01" });
    const suspended = await makeAccount(world, { status: "suspended", endDate: "2026-05-01" });
    await world.run("end-dates");
    expect(await accountById(world.db, pending.id)).toMatchObject({ status: "suspended", suspensionReason: "End date reached" });
    expect((await auditOf(world.db, "account.suspended", pending.id))[0]!.detail).toMatchObject({ before: { status: "pending" } });
    expect(await auditOf(world.db, "account.suspended", suspended.id)).toHaveLength(0);
  });
});
