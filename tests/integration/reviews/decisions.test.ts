import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { readPayload } from "@/lib/requests/schema";
import { reviewDetail, reviewsForOrganisation } from "@/lib/reviews/queries";
import { recordReviewDecision } from "@/lib/reviews/record-review-decision";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import {
  AMINA,
  KATE,
  LEE,
  PRIYA,
  SAM,
  TOM,
  accountByEmail,
  actorFor,
  appError,
  createProvider,
  createRequestWorld,
  footprint,
  submitAs,
  requestAudit,
  requestMail,
  requestRow,
  type RequestWorld,
} from "../requests/fixtures";
import { auditOf, itemOf, itemsOf, openReviews, reviewOf } from "./fixtures";

const DAN = "dan.wright@meadowbank-care.example.org"; // Meadowbank, pending set-up

/** The Lead correspondent's decisions and sign-off (UAP-4.2): keep, change role, suspend; requests made in the same transaction. */

let world: RequestWorld;
let reviewId: string;
let brookside: Awaited<ReturnType<typeof createProvider>>;
beforeAll(async () => {
  world = await createRequestWorld();
  brookside = await createProvider(world);
  await openReviews(world);
  reviewId = (await reviewOf(world.db, world.meadowbankId)).id;
});
afterAll(async () => {
  await world?.dispose();
});

async function decide(email: string, input: Record<string, unknown>, who = PRIYA) {
  const account = await accountByEmail(world.db, email);
  return recordReviewDecision({ db: world.db, actor: await actorFor(world.db, who), clock: world.clock, config: world.config, reviewId, accountId: account.id, input });
}

async function signOff(who = PRIYA, id = reviewId) {
  return signOffReview({ db: world.db, actor: await actorFor(world.db, who), clock: world.clock, config: world.config, reviewId: id });
}

describe("recordReviewDecision", () => {
  it("UAP-4.2 records keep against the account, with who decided and when, and audits it", async () => {
    const tom = await accountByEmail(world.db, TOM);
    const priya = await accountByEmail(world.db, PRIYA);
    const result = await decide(TOM, { decision: "keep" });
    expect(result).toMatchObject({ decision: "keep", request: null });
    const item = await itemOf(world.db, reviewId, tom.id);
    expect(item).toMatchObject({ decision: "keep", decidedById: priya.id, decidedByLabel: "Priya Shah", requestId: null });
    expect(item.decidedAt?.toISOString()).toBe(world.clock.now().toISOString());
    const [event] = (await auditOf(world.db, "review.decision_recorded")).slice(-1);
    expect(event).toMatchObject({ actorId: priya.id, channel: "web", organisationId: world.meadowbankId, subjectAccountId: tom.id, requestId: null });
    expect(event?.detail).toMatchObject({ reviewId, decision: "keep", previousDecision: null, period: "April to June 2026" });
  });

  it("UAP-4.2 UAP-A.5 a change of role becomes a role-change request from the Lead correspondent, in the same transaction", async () => {
    const amina = await accountByEmail(world.db, AMINA);
    const priya = await accountByEmail(world.db, PRIYA);
    const result = await decide(AMINA, { decision: "change_role", roleKeys: ["finance"] });
    expect(result.decision).toBe("change_role");
    expect(result.request?.reference).toMatch(/^REQ-\d{6}$/);

    const request = await requestRow(world.db, result.request!.requestId);
    expect(request).toMatchObject({ type: "role_change", subjectAccountId: amina.id, requestedById: priya.id, organisationId: world.meadowbankId, status: "received", channel: "web" });
    expect(readPayload(request.payload).details).toMatchObject({ roleKeys: ["finance"], reason: "Quarterly review of users (April to June 2026)" });
    expect(await requestMail(world.db, request.id, "request_acknowledgement")).toHaveLength(1);
    expect((await requestAudit(world.db, request.id)).map((e) => e.action)).toEqual(["request.submitted", "review.decision_recorded"]);

    const item = await itemOf(world.db, reviewId, amina.id);
    expect(item).toMatchObject({ decision: "change_role", requestId: request.id, decisionDetail: { roleKeys: ["finance"], rolesBefore: ["care_coordinator"] } });
  });

  it("UAP-4.2 UAP-A.6 a suspension becomes a suspension request with its reason (a leaver's is prioritised)", async () => {
    const kate = await accountByEmail(world.db, KATE);
    const result = await decide(KATE, { decision: "suspend", reason: "leaver" });
    const request = await requestRow(world.db, result.request!.requestId);
    expect(request).toMatchObject({ type: "suspension", subjectAccountId: kate.id });
    expect(request.priority).not.toBe("normal");
    expect(readPayload(request.payload).details).toMatchObject({ reason: "leaver" });
    expect(await itemOf(world.db, reviewId, kate.id)).toMatchObject({ decision: "suspend", requestId: request.id, decisionDetail: { reason: "leaver" } });
  });

  it("UAP-4.2 UAP-A.3 a request the rules refuse records no decision and makes no request", async () => {
    const before = await footprint(world.db);
    // The Lead's own role changes only through a change of Lead correspondent.
    const lead = await appError(decide(PRIYA, { decision: "change_role", roleKeys: ["finance"] }));
    expect(lead.code).toBe("refused");
    expect(lead.userMessage).toContain("Lead correspondent");
    // A role that is not a provider role is refused by the request's own schema.
    const unknown = await appError(decide(TOM, { decision: "change_role", roleKeys: ["team_lead"] }));
    expect(unknown.code).toBe("validation");
    expect(unknown.fieldErrors).toHaveProperty("roleKeys");
    // A suspended account cannot be suspended again.
    expect((await appError(decide(LEE, { decision: "suspend", reason: "leaver" }))).code).toBe("refused");
    expect(await footprint(world.db)).toEqual(before);
    const priya = await accountByEmail(world.db, PRIYA);
    expect((await itemOf(world.db, reviewId, priya.id)).decision).toBeNull();
    expect((await itemOf(world.db, reviewId, (await accountByEmail(world.db, TOM)).id)).decision).toBe("keep");
  });

  it("UAP-4.2 a decision's input is checked before anything is written", async () => {
    const missing = await appError(decide(TOM, {}));
    expect(missing).toMatchObject({ code: "validation", fieldErrors: { decision: "Select keep, change role or suspend" } });
    const noReason = await appError(decide(TOM, { decision: "suspend" }));
    expect(noReason.fieldErrors).toEqual({ reason: "Select why the account should be suspended" });
  });

  it("UAP-4.2 a decision that became a request stands; keep may be changed until sign-off", async () => {
    const refused = await appError(decide(AMINA, { decision: "keep" }));
    expect(refused.code).toBe("refused");
    expect(refused.fieldErrors.decision).toContain("already been asked for");

    await decide(TOM, { decision: "change_role", roleKeys: ["read_only"] });
    const tom = await itemOf(world.db, reviewId, (await accountByEmail(world.db, TOM)).id);
    expect(tom.decision).toBe("change_role");
    expect(tom.requestId).not.toBeNull();
    const [event] = (await auditOf(world.db, "review.decision_recorded")).slice(-1);
    expect(event?.detail).toMatchObject({ decision: "change_role", previousDecision: "keep" });
  });

  it("UAP-4.2 UAP-A.6 a suspension already asked for before the review is linked to the decision, not asked for twice", async () => {
    const dan = await accountByEmail(world.db, DAN);
    const earlier = await submitAs(world, { type: "suspension", subjectAccountId: dan.id, reason: "no_longer_needed" });
    const result = await decide(DAN, { decision: "suspend", reason: "no_longer_needed" });
    expect(result.request).toMatchObject({ requestId: earlier.requestId, reference: earlier.reference });
    const suspensions = await world.db.select().from(tables.requests).where(and(eq(tables.requests.subjectAccountId, dan.id), eq(tables.requests.type, "suspension")));
    expect(suspensions).toHaveLength(1);
    expect(await itemOf(world.db, reviewId, dan.id)).toMatchObject({ decision: "suspend", requestId: earlier.requestId, decisionDetail: { existingRequest: true } });
  });

  it("UAP-4.2 AUP-6.3 only the organisation's Lead correspondent decides; others are refused and another organisation's review does not exist for them", async () => {
    const before = await footprint(world.db);
    expect((await appError(decide(LEE, { decision: "keep" }, TOM))).code).toBe("forbidden");
    expect((await appError(decide(LEE, { decision: "keep" }, SAM))).code).toBe("not_found");
    expect((await appError(decide(LEE, { decision: "keep" }, brookside.lead.email))).code).toBe("not_found");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UAP-4.2 an account not listed in the review cannot be decided on", async () => {
    const error = await appError(
      recordReviewDecision({ db: world.db, actor: await actorFor(world.db, PRIYA), clock: world.clock, config: world.config, reviewId, accountId: brookside.lead.id, input: { decision: "keep" } }),
    );
    expect(error.code).toBe("not_found");
  });
});

describe("signOffReview", () => {
  it("UAP-4.2 is refused while any account has no decision, saying how many", async () => {
    const error = await appError(signOff());
    expect(error.code).toBe("refused");
    expect(error.userMessage).toMatch(/^2 accounts still need a decision/);
    expect((await reviewOf(world.db, world.meadowbankId)).signedOffAt).toBeNull();
  });

  it("UAP-4.2 only the Lead correspondent signs off", async () => {
    expect((await appError(signOff(TOM))).code).toBe("forbidden");
    expect((await appError(signOff(SAM))).code).toBe("not_found");
  });

  it("UAP-4.2 signs off once every account has a decision, with the tally audited", async () => {
    const items = await itemsOf(world.db, reviewId);
    for (const item of items.filter((i) => i.decision === null)) {
      await recordReviewDecision({ db: world.db, actor: await actorFor(world.db, PRIYA), clock: world.clock, config: world.config, reviewId, accountId: item.accountId, input: { decision: "keep" } });
    }
    world.clock.advance(60_000);
    const result = await signOff();
    expect(result).toMatchObject({ reviewId, decisions: { keep: 2, change_role: 2, suspend: 2 }, late: false });
    const review = await reviewOf(world.db, world.meadowbankId);
    const priya = await accountByEmail(world.db, PRIYA);
    expect(review).toMatchObject({ signedOffById: priya.id, signedOffByLabel: "Priya Shah" });
    expect(review.signedOffAt?.toISOString()).toBe(world.clock.now().toISOString());
    const [event] = await auditOf(world.db, "review.signed_off");
    expect(event).toMatchObject({ actorId: priya.id, organisationId: world.meadowbankId });
    expect(event?.detail).toMatchObject({ reviewId, accounts: 6, decisions: { keep: 2, change_role: 2, suspend: 2 }, late: false });
  });

  it("UAP-4.2 a signed-off review is a record: no second sign-off, no further decision", async () => {
    const before = await footprint(world.db);
    expect((await appError(signOff())).code).toBe("conflict");
    expect((await appError(decide(LEE, { decision: "keep" }))).code).toBe("conflict");
    expect(await footprint(world.db)).toEqual(before);
  });
});

describe("the Lead correspondent's read models", () => {
  it("UAP-4.2 lists the organisation's reviews, the current one first, with its standing and progress", async () => {
    world.clock.set("2026-07-01T06:00:00.000Z");
    await openReviews(world);
    const list = await reviewsForOrganisation({ db: world.db, clock: world.clock, config: world.config, organisationId: world.meadowbankId });
    expect(list.map((r) => [r.periodLabel, r.standing, r.decided, r.total])).toEqual([
      ["July to September 2026", "open", 0, 6],
      ["April to June 2026", "signed_off", 6, 6],
    ]);
  });

  it("UAP-4.2 AUP-5.2d shows one review with every account and the request each decision became, and only to its own organisation", async () => {
    const detail = await reviewDetail({ db: world.db, clock: world.clock, config: world.config, reviewId, organisationId: world.meadowbankId });
    expect(detail.review).toMatchObject({ organisationName: "Meadowbank Care Ltd", standing: "signed_off" });
    expect(detail.canSignOff).toBe(false);
    const amina = detail.items.find((i) => i.email === AMINA)!;
    expect(amina.request?.reference).toMatch(/^REQ-\d{6}$/);
    expect(detail.items.find((i) => i.email === PRIYA)?.choices).toEqual(["keep"]);
    expect(detail.items.find((i) => i.email === LEE)?.choices).toEqual(["keep"]);
    const error = await appError(reviewDetail({ db: world.db, clock: world.clock, config: world.config, reviewId, organisationId: brookside.organisation.id }));
    expect(error.code).toBe("not_found");
  });

  it("UAP-4.2 the requests a review made show on the organisation's requests like any other", async () => {
    const made = await world.db.select().from(tables.accessReviewItems).where(eq(tables.accessReviewItems.reviewId, reviewId));
    const requestIds = made.map((i) => i.requestId).filter((id): id is string => id !== null);
    expect(requestIds).toHaveLength(4);
    for (const id of requestIds) expect((await requestRow(world.db, id)).organisationId).toBe(world.meadowbankId);
  });
});
