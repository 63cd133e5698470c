import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { queryRows } from "@/lib/db/types";
import { reviewJobs } from "@/lib/reviews/jobs";
import { openQuarterlyReviews } from "@/lib/reviews/open-quarterly-reviews";
import { LEE, PRIYA, SAM, accountByEmail, actorFor, createProvider, createRequestWorld, type RequestWorld } from "../requests/fixtures";
import { BASE_URL, auditOf, itemsOf, mailOfKind, openReviews, reviewOf } from "./fixtures";

/** Opening the quarter's reviews (UAP-4.2, UAP-4.3a): every active provider, every account, once. */

let world: RequestWorld;
let brookside: Awaited<ReturnType<typeof createProvider>>;
beforeAll(async () => {
  world = await createRequestWorld(); // Tuesday 5 May 2026: the quarter April to June
  brookside = await createProvider(world);
});
afterAll(async () => {
  await world?.dispose();
});

async function counts() {
  const [row] = await queryRows<{ reviews: number; items: number; mail: number; audit: number }>(
    world.db,
    sql`select (select count(*) from access_reviews)::int as reviews, (select count(*) from access_review_items)::int as items,
      (select count(*) from outbound_messages)::int as mail, (select count(*) from audit_events)::int as audit`,
  );
  return row!;
}

describe("openQuarterlyReviews", () => {
  it("UAP-4.2 UAP-4.3a opens the quarter's review for every active provider organisation, listing every account with a snapshot", async () => {
    const summary = await openReviews(world);
    expect(summary.period).toEqual({ start: "2026-04-01", end: "2026-06-30", dueOn: "2026-06-30", label: "April to June 2026" });
    expect(summary.opened).toBe(2);
    expect(summary.reviews.map((r) => r.organisationId).sort()).toEqual([world.meadowbankId, brookside.organisation.id].sort());

    const review = await reviewOf(world.db, world.meadowbankId);
    expect(review).toMatchObject({ periodStart: "2026-04-01", periodEnd: "2026-06-30", dueOn: "2026-06-30", signedOffAt: null, escalatedAt: null });
    expect(review.openedAt.toISOString()).toBe(world.clock.now().toISOString());

    const items = await itemsOf(world.db, review.id);
    const meadowbankAccounts = await world.db.select().from(tables.accounts).where(eq(tables.accounts.organisationId, world.meadowbankId));
    expect(items).toHaveLength(meadowbankAccounts.length);
    expect(summary.reviews.find((r) => r.organisationId === world.meadowbankId)?.accounts).toBe(meadowbankAccounts.length);

    const priya = items.find((i) => i.email === PRIYA)!;
    const account = await accountByEmail(world.db, PRIYA);
    expect(priya).toMatchObject({ fullName: "Priya Shah", status: "active", roleKeys: ["lead_correspondent"], igTrainingDate: account.igTrainingDate, endDate: null, decision: null });
    expect(priya.lastSignInAt?.toISOString()).toBe(account.lastSignInAt?.toISOString());
    // Suspended accounts are listed too: the Lead confirms they stay that way.
    expect(items.find((i) => i.email === LEE)).toMatchObject({ status: "suspended", roleKeys: ["read_only"] });
    expect(items.every((i) => i.decision === null)).toBe(true);
  });

  it("UAP-4.2 emails each organisation's Lead correspondent the link to its review", async () => {
    const review = await reviewOf(world.db, world.meadowbankId);
    const mail = await mailOfKind(world.db, "review_opened");
    expect(mail).toHaveLength(2);
    const priyas = mail.find((m) => m.to.includes(PRIYA))!;
    expect(priyas.to).toEqual([PRIYA]);
    expect(priyas.subject).toBe("Quarterly review of your portal users: April to June 2026");
    expect(priyas.text).toContain(`${BASE_URL}/portal/reviews/${review.id}`);
    expect(priyas.text).toContain("Tuesday 30 June 2026");
    expect(priyas.text).toContain("Dear Priya Shah,");
  });

  it("UAP-4.2 records each opening in the audit log, as the job", async () => {
    const events = await auditOf(world.db, "review.opened");
    expect(events).toHaveLength(2);
    const meadowbank = events.find((e) => e.organisationId === world.meadowbankId)!;
    expect(meadowbank).toMatchObject({ channel: "job", actorId: null, actorLabel: "Quarterly reviews" });
    expect(meadowbank.detail).toMatchObject({ period: "April to June 2026", dueOn: "2026-06-30", emailedTo: [PRIYA] });
  });

  it("UAP-4.2 is idempotent: run again at the same instant, or later in the quarter, it opens and sends nothing", async () => {
    const before = await counts();
    const again = await openReviews(world);
    expect(again).toMatchObject({ opened: 0, accounts: 0, emailed: 0, reviews: [] });
    world.clock.set("2026-06-20T09:00:00.000Z");
    expect((await openReviews(world)).opened).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("UAP-4.2 leaves out organisations that are onboarding or closed", async () => {
    const reviewed = await world.db.select({ status: tables.organisations.status }).from(tables.accessReviews).innerJoin(tables.organisations, eq(tables.organisations.id, tables.accessReviews.organisationId));
    expect(reviewed.every((o) => o.status === "active")).toBe(true);
    const [others] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from organisations where kind = 'provider' and status <> 'active'`);
    expect(others!.n).toBeGreaterThan(0);
  });

  it("UAP-4.2 an organisation that becomes active during the quarter gets its review on the next run", async () => {
    const late = await createProvider(world);
    const summary = await openReviews(world);
    expect(summary.opened).toBe(1);
    expect(summary.reviews[0]).toMatchObject({ organisationId: late.organisation.id, accounts: 1 });
    expect((await mailOfKind(world.db, "review_opened")).filter((m) => m.to.includes(late.lead.email))).toHaveLength(1);
  });

  it("UAP-4.2 the next quarter opens new reviews, with the accounts as they are then", async () => {
    world.clock.set("2026-07-01T05:00:00.000Z");
    const summary = await openReviews(world);
    expect(summary.period).toMatchObject({ start: "2026-07-01", end: "2026-09-30", label: "July to September 2026" });
    expect(summary.opened).toBe(3);
    const q3 = await reviewOf(world.db, world.meadowbankId, "2026-07-01");
    expect(q3.dueOn).toBe("2026-09-30");
    expect(await reviewOf(world.db, world.meadowbankId, "2026-04-01")).toBeDefined();
  });

  it("UAP-4.2 two runners at once open each review once", async () => {
    world.clock.set("2026-10-01T06:00:00.000Z");
    const [a, b] = await Promise.all([openReviews(world), openReviews(world)]);
    expect(a.opened + b.opened).toBe(3);
    const [row] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from access_reviews where period_start = '2026-10-01'`);
    expect(row!.n).toBe(3);
    expect((await mailOfKind(world.db, "review_opened")).filter((m) => m.subject.includes("October to December 2026"))).toHaveLength(3);
  });

  it("UAP-4.3a staff opening the reviews by hand is audited against them, even when nothing was left to open", async () => {
    const actor = await actorFor(world.db, SAM);
    const summary = await openQuarterlyReviews({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, actor });
    expect(summary.opened).toBe(0);
    const [event] = (await auditOf(world.db, "review.open_requested")).slice(-1);
    expect(event).toMatchObject({ actorId: actor.accountId, channel: "web" });
    expect(event?.detail).toMatchObject({ period: "October to December 2026", opened: 0 });
  });

  it("UAP-4.2 is registered for the jobs engineer as reviews.open, and its run returns a JSON summary", async () => {
    expect(reviewJobs.map((j) => [j.name, j.schedule])).toEqual([
      ["reviews.open", "quarterly: first day of Jan/Apr/Jul/Oct"],
      ["reviews.remind", "daily"],
      ["reviews.escalate", "daily"],
    ]);
    const summary = await world.db.transaction((tx) => reviewJobs[0]!.run({ db: tx, clock: world.clock, config: world.config, baseUrl: BASE_URL }));
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary).toMatchObject({ period: "October to December 2026", periodStart: "2026-10-01", opened: 0, emailed: 0, organisations: [] });
  });
});
