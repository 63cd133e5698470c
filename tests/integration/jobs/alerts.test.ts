import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { licenceYear, markLicenceAlerted } from "@/lib/requests/licences";
import { ALEX, auditOf, createJobWorld, DAY, footprint, mailOf, makeAccount, PRIYA, START, type JobWorld } from "./fixtures";

/** CC-2a licence alerts, CC-5 SLA escalations and CC-7f training alerts: each sent once per occurrence. */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld(); // Monday 4 May 2026, 10:00 in London
});
afterEach(async () => {
  await world?.dispose();
});

async function setAllocation(allocation: number) {
  await world.db
    .update(tables.licenceAllocations)
    .set({ allocation })
    .where(and(eq(tables.licenceAllocations.organisationId, world.meadowbankId), eq(tables.licenceAllocations.year, licenceYear(world.clock.now()))));
}

async function alertedPercent() {
  const [row] = await world.db
    .select({ alertedAt: tables.licenceAllocations.alertedAt })
    .from(tables.licenceAllocations)
    .where(and(eq(tables.licenceAllocations.organisationId, world.meadowbankId), eq(tables.licenceAllocations.year, licenceYear(world.clock.now()))));
  return row?.alertedAt ?? null;
}

describe("licence alerts", () => {
  it("CC-2a alerts the Lead correspondent and staff once when licence use crosses the threshold, and again only after it falls back and crosses anew", async () => {
    // Meadowbank holds 5 licences (4 active accounts and 1 waiting for set-up): 5 of 6 is 83 %.
    await setAllocation(6);
    expect((await world.run("licence-alerts")).summary).toMatchObject({ alerted: 0 });

    const extra = await makeAccount(world); // 6 of 6: past 90 %
    const first = await world.run("licence-alerts");
    expect(first.summary).toMatchObject({ alerted: 1, rearmed: 0 });
    const [mail] = await mailOf(world.db, "licence_alert");
    // The Lead correspondent and the operator's staff mailbox, as for a crossing at submission.
    expect(mail!.to).toEqual([PRIYA, world.config.operator.mailbox]);
    expect(mail!.subject).toBe(`Meadowbank Care Ltd has used 6 of its 6 licences for 2026`);
    const [event] = await auditOf(world.db, "organisation.licence_alert_sent");
    expect(event).toMatchObject({ channel: "job", actorLabel: "Licence alerts", organisationId: world.meadowbankId });
    expect(event!.detail).toMatchObject({ used: 6, allocation: 6, thresholdPercent: 90, to: [PRIYA, world.config.operator.mailbox] });
    expect(await alertedPercent()).toBe(90);

    const before = await footprint(world.db);
    world.clock.advance(3_600_000);
    expect((await world.run("licence-alerts")).summary).toMatchObject({ alerted: 0, rearmed: 0 });
    expect(await footprint(world.db)).toEqual(before);

    // A suspension brings use back to 5 of 6: the alert re-arms, and the next crossing alerts again.
    await world.db.update(tables.accounts).set({ status: "suspended" }).where(eq(tables.accounts.id, extra.id));
    expect((await world.run("licence-alerts")).summary).toMatchObject({ alerted: 0, rearmed: 1 });
    expect(await alertedPercent()).toBeNull();
    expect(await auditOf(world.db, "organisation.licence_alert_rearmed")).toHaveLength(1);
    await world.db.update(tables.accounts).set({ status: "active" }).where(eq(tables.accounts.id, extra.id));
    world.clock.advance(3_600_000);
    expect((await world.run("licence-alerts")).summary).toMatchObject({ alerted: 1 });
    expect(await mailOf(world.db, "licence_alert")).toHaveLength(2);
  });

  it("CC-2a a crossing already alerted when the request was submitted is not alerted again", async () => {
    await setAllocation(5);
    await markLicenceAlerted(world.db, world.meadowbankId, licenceYear(world.clock.now()), 5, 90);
    expect((await world.run("licence-alerts")).summary).toMatchObject({ alerted: 0, rearmed: 0 });
    expect(await mailOf(world.db, "licence_alert")).toHaveLength(0);
  });
});

describe("SLA escalations", () => {
  async function openRequest(dueAt: Date, status: "received" | "in_progress" | "resolved" = "received") {
    const [request] = await world.db
      .insert(tables.requests)
      .values({ type: "new_user", status, title: "New user – Jo Example", organisationId: world.meadowbankId, channel: "web", receivedAt: world.clock.now(), dueAt })
      .returning();
    return request!;
  }

  it("CC-5 escalates a request to the team leads on the day it falls due, and again once it is overdue — once in each state", async () => {
    const due = new Date(Date.parse(START) + 4 * DAY + 6 * 3_600_000); // Friday 8 May, 16:00 in London
    const request = await openRequest(due);
    const done = await openRequest(due, "resolved");
    await world.run("sla-escalations");
    expect(await mailOf(world.db, "sla_due_today")).toHaveLength(0);

    world.clock.set("2026-05-08T07:00:00.000Z"); // 08:00 on the day
    const first = await world.run("sla-escalations");
    expect(first.summary).toMatchObject({ dueToday: 1, overdue: 0 });
    const [today] = await mailOf(world.db, "sla_due_today");
    expect(today!.to).toEqual([ALEX]);
    expect(today!.subject).toBe("1 request is due today");
    expect(today!.text).toContain(`REQ-${String(request.number).padStart(6, "0")}`);
    expect(today!.text).toContain(`https://portal.example.org/staff/requests/${request.id}`);
    const events = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.requestId, request.id));
    expect(events.map((e) => [e.action, (e.detail as { state: string }).state])).toEqual([["request.sla_escalated", "due_today"]]);

    for (const at of ["2026-05-08T07:15:00.000Z", "2026-05-08T14:45:00.000Z"]) {
      world.clock.set(at);
      expect((await world.run("sla-escalations")).summary).toMatchObject({ dueToday: 0, overdue: 0 });
    }
    world.clock.set("2026-05-08T15:15:00.000Z"); // 16:15: past due
    expect((await world.run("sla-escalations")).summary).toMatchObject({ dueToday: 0, overdue: 1 });
    const [overdue] = await mailOf(world.db, "sla_overdue");
    expect(overdue!.subject).toBe("1 request is past the 5-working-day service level");
    world.clock.set("2026-05-11T08:00:00.000Z");
    expect((await world.run("sla-escalations")).summary).toMatchObject({ dueToday: 0, overdue: 0 });
    expect(await mailOf(world.db, "sla_overdue")).toHaveLength(1);
    expect(await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.requestId, done.id))).toHaveLength(0);
  });

  it("CC-5 several requests crossing at once go to the team leads in one email", async () => {
    const past = new Date(Date.parse(START) - 3_600_000);
    await openRequest(past);
    await openRequest(past, "in_progress");
    const result = await world.run("sla-escalations");
    expect(result.summary).toMatchObject({ overdue: 2 });
    const mails = await mailOf(world.db, "sla_overdue");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("2 requests are past the 5-working-day service level");
    expect(await auditOf(world.db, "request.sla_escalated")).toHaveLength(2);
  });
});

describe("training alerts", () => {
  it("CC-7f emails the user and their Lead correspondent once when IG training passes 12 months, and again for a later expiry", async () => {
    const expired = await makeAccount(world, { igTrainingDate: "2025-05-04" }); // 12 months ago today
    const tomorrow = await makeAccount(world, { igTrainingDate: "2025-05-05" });
    const operator = await makeAccount(world, { audience: "operator", igTrainingDate: "2024-01-01" });
    const result = await world.run("training-alerts");
    expect(result.summary.alerted).toBeGreaterThanOrEqual(1);

    const [mail] = await mailOf(world.db, "training_expired", expired.email);
    expect(mail).toMatchObject({ to: [expired.email], cc: [PRIYA] });
    expect(mail!.text).toContain("completed on Sunday 4 May 2025");
    expect(mail!.text).toContain("expired on Monday 4 May 2026");
    const [event] = await auditOf(world.db, "account.training_expired_alert_sent", expired.id);
    expect(event!.detail).toMatchObject({ rule: "CC-7f", trainedOn: "2025-05-04", expiredOn: "2026-05-04" });
    expect(await mailOf(world.db, "training_expired", tomorrow.email)).toHaveLength(0);
    expect(await mailOf(world.db, "training_expired", operator.email)).toHaveLength(0);

    const before = await footprint(world.db);
    expect((await world.run("training-alerts")).summary).toMatchObject({ alerted: 0 });
    expect(await footprint(world.db)).toEqual(before);

    world.travel(1);
    await world.run("training-alerts");
    expect(await mailOf(world.db, "training_expired", tomorrow.email)).toHaveLength(1);
    expect(await mailOf(world.db, "training_expired", expired.email)).toHaveLength(1);

    // Training renewed, then (a year later) expired again: a new occurrence, a new alert.
    await world.db.update(tables.accounts).set({ igTrainingDate: "2026-05-05" }).where(eq(tables.accounts.id, expired.id));
    world.travel(1 + 365);
    await world.run("training-alerts");
    expect(await mailOf(world.db, "training_expired", expired.email)).toHaveLength(2);
  });
});
