import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { addQueryMessage } from "@/lib/queries/add-query-message";
import { openQuery, sendOperatorMessage } from "@/lib/queries/open-query";
import { organisationQueries, queryThreadDetail, staffQueryQueue } from "@/lib/queries/queries";
import { addQueryMessageFromEmail } from "@/lib/queries/reply-by-email";
import { actorFor, ALEX, AMINA, appError, BASE_URL, CHRIS, createRequestWorld, PRIYA, SAM, TOM, viewerFor, type RequestWorld } from "../requests/fixtures";

/** A person Meadowbank cares for, one Riverside cares for, and a Meadowbank payment. */
async function careWorld(world: RequestWorld) {
  const [riverside] = await world.db.select().from(tables.organisations).where(eq(tables.organisations.odsCode, "RV4D5"));
  const [ada, bob] = await world.db
    .insert(tables.individuals)
    .values([
      { sourceId: "test-ind-ada", fullName: "Ada Lovelace" },
      { sourceId: "test-ind-bob", fullName: "Bob Marley" },
    ])
    .returning();
  const [adaPackage] = await world.db
    .insert(tables.carePackages)
    .values([
      { sourceId: "test-pkg-ada", organisationId: world.meadowbankId, individualId: ada!.id, service: "Home care", startDate: "2026-01-01" },
      { sourceId: "test-pkg-bob", organisationId: riverside!.id, individualId: bob!.id, service: "Home care", startDate: "2026-01-01" },
    ])
    .returning();
  const [payment, riversidePayment] = await world.db
    .insert(tables.payments)
    .values([
      { sourceId: "test-pay-1", organisationId: world.meadowbankId, carePackageId: adaPackage!.id, reference: "PAY-1", dueDate: "2026-05-28", amountPence: 123_45 },
      { sourceId: "test-pay-2", organisationId: riverside!.id, reference: "PAY-2", dueDate: "2026-05-28", amountPence: 999 },
    ])
    .returning();
  return { ada: ada!, bob: bob!, payment: payment!, riversidePayment: riversidePayment!, riversideId: riverside!.id };
}

describe("queries (AUP-2.1d, AUP-5.2e)", () => {
  let world: RequestWorld;
  let care: Awaited<ReturnType<typeof careWorld>>;
  beforeEach(async () => {
    world = await createRequestWorld();
    care = await careWorld(world);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  const as = async (email: string, channel: "web" | "email" = "web") => ({
    db: world.db,
    clock: world.clock,
    config: world.config,
    baseUrl: BASE_URL,
    actor: await actorFor(world.db, email, channel),
    viewer: await viewerFor(world, email),
  });

  it("AUP-2.1d a provider user opens a query about a person receiving care, staff answer from the back office, and the provider sees the reply", async () => {
    const amina = await as(AMINA); // Care coordinator: queries edit
    const { queryId, reference } = await openQuery({ ...amina, input: { topic: "individual", individualId: care.ada.id, subject: "Missed visit", body: "Was the 8am visit on Monday covered?" } });
    expect(reference).toMatch(/^QRY-\d{6}$/);

    const sam = await as(SAM);
    const queue = await staffQueryQueue(world.db, sam.viewer);
    expect(queue.map((q) => [q.id, q.status])).toEqual([[queryId, "awaiting_operator"]]);
    world.clock.advance(3_600_000);
    await addQueryMessage({ ...sam, threadId: queryId, input: { body: "Yes: the visit was covered by the reablement team." } });

    const detail = await queryThreadDetail(world.db, amina.viewer, queryId);
    expect(detail.thread.status).toBe("awaiting_provider");
    expect(detail.individual?.fullName).toBe("Ada Lovelace");
    expect(detail.messages.map((m) => [m.side, m.authorLabel, m.body])).toEqual([
      ["provider", "Amina Okafor", "Was the 8am visit on Monday covered?"],
      ["operator", "Sam Patel", "Yes: the visit was covered by the reablement team."],
    ]);
    // The opener is told, without the reply's words (it may carry personal data), with the reference to answer by email.
    const mail = await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "query_reply"));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(`[${reference}]`);
    expect(mail[0]!.text).not.toContain("reablement");
    const actions = (await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["query.opened", "query.answered"]));
  });

  it("AUP-2.1d a query about a payment; need to know refuses another organisation's person or payment", async () => {
    const tom = await as(TOM); // Finance: queries edit
    const { queryId } = await openQuery({ ...tom, input: { topic: "payment", paymentId: care.payment.id, subject: "Short payment", body: "PAY-1 is £10 short." } });
    expect((await queryThreadDetail(world.db, tom.viewer, queryId)).payment?.reference).toBe("PAY-1");
    const notOurs = await appError(openQuery({ ...tom, input: { topic: "individual", individualId: care.bob.id, subject: "x", body: "y" } }));
    expect(notOurs.fieldErrors.individualId).toBeTruthy();
    const notOurPayment = await appError(openQuery({ ...tom, input: { topic: "payment", paymentId: care.riversidePayment.id, subject: "x", body: "y" } }));
    expect(notOurPayment.fieldErrors.paymentId).toBeTruthy();
    expect(await world.db.select().from(tables.queryThreads)).toHaveLength(1);
  });

  it("AUP-5.2e messages are kept: the database refuses to edit or delete them", async () => {
    const amina = await as(AMINA);
    await openQuery({ ...amina, input: { topic: "individual", individualId: care.ada.id, subject: "Visit", body: "Original words" } });
    await expect(world.handle.superuserExecute("update query_messages set body = 'rewritten'")).rejects.toThrow(/official record/);
    await expect(world.handle.superuserExecute("delete from query_messages")).rejects.toThrow(/official record/);
    const [message] = await world.db.select().from(tables.queryMessages);
    expect(message!.body).toBe("Original words");
  });

  it("AUP-5.2d UAP-2.3 a thread is beyond the reach of other organisations, of roles without queries, and of staff without requests edit", async () => {
    const amina = await as(AMINA);
    const { queryId } = await openQuery({ ...amina, input: { topic: "individual", individualId: care.ada.id, subject: "Visit", body: "Hello" } });
    const priya = await as(PRIYA);
    const outsider = { ...priya.viewer, organisationId: care.riversideId };
    expect((await appError(queryThreadDetail(world.db, outsider, queryId))).code).toBe("not_found");
    expect((await appError(addQueryMessage({ ...priya, viewer: outsider, threadId: queryId, input: { body: "x" } }))).code).toBe("not_found");
    expect(await organisationQueries(world.db, outsider)).toEqual([]);
    const readOnly = { ...priya.viewer, roleKeys: ["read_only"], grants: { contacts: "read" as const, purchase_orders: "read" as const } };
    expect((await appError(queryThreadDetail(world.db, readOnly, queryId))).code).toBe("not_found");
    expect((await appError(openQuery({ ...priya, viewer: readOnly, input: { topic: "individual", individualId: care.ada.id, subject: "x", body: "y" } }))).code).toBe("forbidden");
    const chris = await as(CHRIS); // Auditor: requests read, not edit
    expect((await queryThreadDetail(world.db, chris.viewer, queryId)).side).toBe("operator");
    expect((await appError(addQueryMessage({ ...chris, threadId: queryId, input: { body: "x" } }))).code).toBe("not_found");
    expect(await world.db.select().from(tables.queryMessages)).toHaveLength(1);
  });

  it("AUP-2.1a Contact the operator: the message lands in the staff queue and the sender gets the reply by email", async () => {
    const priya = await as(PRIYA);
    const { queryId, reference } = await sendOperatorMessage({ ...priya, input: { subject: "New office address", body: "We move on 1 June." } });
    const alex = await as(ALEX);
    expect((await staffQueryQueue(world.db, alex.viewer)).map((q) => [q.id, q.topic])).toEqual([[queryId, "operator"]]);
    await addQueryMessage({ ...alex, threadId: queryId, input: { body: "Thank you, noted for 1 June." } });
    const [mail] = await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "query_reply"));
    expect(mail!.to).toEqual([PRIYA]);
    expect(mail!.subject).toContain(reference);
    expect(mail!.text).toContain("Thank you, noted for 1 June.");
    expect((await appError(sendOperatorMessage({ ...priya, input: { subject: "", body: "" } }))).fieldErrors).toMatchObject({ subject: expect.any(String), body: expect.any(String) });
  });

  it("AUP-2.1d an email reply carrying the reference is added to the thread, only from an authenticated sender who may write in it", async () => {
    const amina = await as(AMINA);
    const { queryId, reference } = await openQuery({ ...amina, input: { topic: "individual", individualId: care.ada.id, subject: "Visit", body: "Hello" } });
    const base = { db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, subject: `Re: [${reference}] Visit`, body: "Answered by email" };
    expect(await addQueryMessageFromEmail({ ...base, from: SAM, senderAuthenticated: false })).toEqual({ ok: false, reason: "unauthenticated" });
    expect(await addQueryMessageFromEmail({ ...base, from: "stranger@example.org", senderAuthenticated: true })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await addQueryMessageFromEmail({ ...base, from: CHRIS, senderAuthenticated: true })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await addQueryMessageFromEmail({ ...base, subject: "Re: [QRY-999999] Visit", from: SAM, senderAuthenticated: true })).toEqual({ ok: false, reason: "unknown_query" });
    const ok = await addQueryMessageFromEmail({ ...base, from: SAM.toUpperCase(), senderAuthenticated: true });
    expect(ok).toMatchObject({ ok: true, queryId, reference });
    const detail = await queryThreadDetail(world.db, amina.viewer, queryId);
    expect(detail.messages.map((m) => [m.side, m.channel, m.body])).toEqual([
      ["provider", "web", "Hello"],
      ["operator", "email", "Answered by email"],
    ]);
  });
});
