import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escalateOverdueReviews } from "@/lib/reviews/escalate-overdue-reviews";
import { reviewJobs } from "@/lib/reviews/jobs";
import { quarterlyReport } from "@/lib/reviews/queries";
import { recordReviewDecision } from "@/lib/reviews/record-review-decision";
import { sendReviewReminders } from "@/lib/reviews/send-review-reminders";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { PRIYA, createProvider, createRequestWorld, type RequestWorld } from "../requests/fixtures";
import { BASE_URL, auditOf, itemsOf, mailOfKind, openReviews, reviewOf } from "./fixtures";

/** Time travel through a quarter (UAP-4.2): reminders 14 and 7 days before the due date, once each; overdue reviews escalated once. */

let world: RequestWorld;
let signedOff: Awaited<ReturnType<typeof createProvider>>;
beforeAll(async () => {
  world = await createRequestWorld(); // 5 May 2026; the review is due on 30 June 2026
  signedOff = await createProvider(world);
  await openReviews(world);
  // Brookside's Lead does the review at once: it is never reminded or escalated.
  const review = await reviewOf(world.db, signedOff.organisation.id);
  const actor = { accountId: signedOff.lead.id, label: signedOff.lead.fullName, channel: "web" as const };
  for (const item of await itemsOf(world.db, review.id)) {
    await recordReviewDecision({ db: world.db, actor, clock: world.clock, config: world.config, reviewId: review.id, accountId: item.accountId, input: { decision: "keep" } });
  }
  await signOffReview({ db: world.db, actor, clock: world.clock, config: world.config, reviewId: review.id });
});
afterAll(async () => {
  await world?.dispose();
});

const remind = () => sendReviewReminders({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL });
const escalate = () => escalateOverdueReviews({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL });

describe("sendReviewReminders", () => {
  it("UAP-4.2 sends nothing while the due date is more than 14 days away", async () => {
    expect(await remind()).toMatchObject({ reminded: 0 });
    world.clock.set("2026-06-15T12:00:00.000Z");
    expect(await remind()).toMatchObject({ today: "2026-06-15", reminded: 0 });
    expect(await mailOfKind(world.db, "review_reminder")).toHaveLength(0);
  });

  it("UAP-4.2 reminds the Lead correspondent 14 days before the due date (the London day), once", async () => {
    // 23:30 UTC on 15 June is already 16 June in London (BST).
    world.clock.set("2026-06-15T23:30:00.000Z");
    const first = await remind();
    const review = await reviewOf(world.db, world.meadowbankId);
    expect(first).toMatchObject({ today: "2026-06-16", reminded: 1, reviews: [{ reviewId: review.id, daysBefore: 14, undecided: 6 }] });
    const [mail] = await mailOfKind(world.db, "review_reminder");
    expect(mail?.to).toEqual([PRIYA]);
    expect(mail?.subject).toBe("Reminder: quarterly review of your portal users due Tuesday 30 June 2026");
    expect(mail?.text).toContain("6 of the 6 accounts still need a decision.");
    expect(mail?.text).toContain(`${BASE_URL}/portal/reviews/${review.id}`);
    expect(await reviewOf(world.db, world.meadowbankId)).toMatchObject({ lastReminderDays: 14 });

    expect((await remind()).reminded).toBe(0);
    world.clock.set("2026-06-20T09:00:00.000Z");
    expect((await remind()).reminded).toBe(0);
    expect(await mailOfKind(world.db, "review_reminder")).toHaveLength(1);
  });

  it("UAP-4.2 reminds again 7 days before, once, and not after", async () => {
    world.clock.set("2026-06-23T07:00:00.000Z");
    const [a, b] = await Promise.all([remind(), remind()]);
    expect(a.reminded + b.reminded).toBe(1);
    expect([...a.reviews, ...b.reviews][0]).toMatchObject({ daysBefore: 7 });
    for (const day of ["2026-06-24", "2026-06-29", "2026-06-30", "2026-07-01"]) {
      world.clock.set(`${day}T09:00:00.000Z`);
      expect((await remind()).reminded).toBe(0);
    }
    const mail = await mailOfKind(world.db, "review_reminder");
    expect(mail).toHaveLength(2);
    expect(mail.every((m) => m.to.includes(PRIYA))).toBe(true);
    const events = await auditOf(world.db, "review.reminder_sent");
    expect(events.map((e) => [e.organisationId, e.detail.daysBefore, e.channel])).toEqual([
      [world.meadowbankId, 14, "job"],
      [world.meadowbankId, 7, "job"],
    ]);
  });
});

describe("escalateOverdueReviews", () => {
  it("UAP-4.2 escalates nothing on the due date itself", async () => {
    world.clock.set("2026-06-30T20:00:00.000Z");
    expect(await escalate()).toMatchObject({ today: "2026-06-30", escalated: 0 });
  });

  it("UAP-4.2 flags a review not signed off by its due date and emails the operator's team once", async () => {
    world.clock.set("2026-07-01T06:30:00.000Z");
    const [a, b] = await Promise.all([escalate(), escalate()]);
    expect(a.escalated + b.escalated).toBe(1);
    const review = await reviewOf(world.db, world.meadowbankId);
    expect(review.escalatedAt?.toISOString()).toBe("2026-07-01T06:30:00.000Z");
    expect((await reviewOf(world.db, signedOff.organisation.id)).escalatedAt).toBeNull();

    const [mail] = await mailOfKind(world.db, "review_overdue");
    expect(mail?.to).toEqual([world.config.operator.mailbox]);
    expect(mail?.subject).toBe("Overdue quarterly review: Meadowbank Care Ltd (April to June 2026)");
    expect(mail?.text).toContain("0 of the 6 accounts have a decision.");
    expect(mail?.text).toContain("Priya Shah <priya.shah@meadowbank-care.example.org>");
    expect(mail?.text).toContain(`${BASE_URL}/staff/reviews/${review.id}`);
    const [event] = await auditOf(world.db, "review.escalated");
    expect(event).toMatchObject({ organisationId: world.meadowbankId, channel: "job" });

    for (const day of ["2026-07-02", "2026-07-15"]) {
      world.clock.set(`${day}T09:00:00.000Z`);
      expect((await escalate()).escalated).toBe(0);
    }
    expect(await mailOfKind(world.db, "review_overdue")).toHaveLength(1);
  });

  it("UAP-4.2 UAP-4.3a an overdue review is visible to staff in the report", async () => {
    const report = await quarterlyReport({ db: world.db, clock: world.clock, config: world.config });
    expect(report.overdue).toBe(1);
    const meadowbank = report.organisations.find((o) => o.organisationId === world.meadowbankId);
    expect(meadowbank?.lastReview).toMatchObject({ standing: "overdue", periodLabel: "April to June 2026", decided: 0, total: 6 });
    expect(meadowbank?.lastReview?.escalatedAt).not.toBeNull();
    expect(report.organisations.find((o) => o.organisationId === signedOff.organisation.id)?.lastReview?.standing).toBe("signed_off");
  });

  it("UAP-4.2 signing off late is recorded as late", async () => {
    const review = await reviewOf(world.db, world.meadowbankId);
    const actor = { accountId: (await itemsOf(world.db, review.id)).find((i) => i.email === PRIYA)!.accountId, label: "Priya Shah", channel: "web" as const };
    for (const item of await itemsOf(world.db, review.id)) {
      await recordReviewDecision({ db: world.db, actor, clock: world.clock, config: world.config, reviewId: review.id, accountId: item.accountId, input: { decision: "keep" } });
    }
    expect(await signOffReview({ db: world.db, actor, clock: world.clock, config: world.config, reviewId: review.id })).toMatchObject({ late: true });
  });

  it("UAP-4.2 the daily jobs run inside a job runner's transaction and return flat JSON summaries", async () => {
    for (const job of reviewJobs.slice(1)) {
      const summary = await world.db.transaction((tx) => job.run({ db: tx, clock: world.clock, config: world.config, baseUrl: BASE_URL }));
      expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
      expect(Object.values(summary).every((v) => v === null || ["string", "number", "boolean"].includes(typeof v) || Array.isArray(v))).toBe(true);
    }
  });
});
