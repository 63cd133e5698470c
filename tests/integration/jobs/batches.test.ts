import { randomUUID } from "node:crypto";
import { asc, count, eq, like, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordAudit, verifyAuditChain, type Actor, type AuditInput } from "@/lib/audit";
import { openAuditBatch, recordAuditBatch } from "@/lib/audit/record-audit";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { writeInterleaved } from "@/lib/jobs/batches";
import { enqueueMessages, messageStatements, type OutboundMessage } from "@/lib/mail/enqueue-message";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/**
 * The sweeps' batch writers (issue 6): thousands of audit events and emails in one transaction,
 * a few statements in all, sent while the next batch is prepared. More than one batch (500
 * rows, then 2,500) is written each time, so the hand-over between batches is exercised.
 */

const clock = fixedClock("2026-05-04T05:00:00.000Z");
const job: Actor = { accountId: null, label: "Inactivity suspensions", channel: "job" };
const staff: Actor = { accountId: randomUUID(), label: "Sam Staff (operator)", channel: "web", clientAddress: "192.0.2.10", userAgent: "Vitest" };

let handle: TestDatabase;
beforeEach(async () => {
  handle = await createTestDatabase();
});
afterEach(async () => {
  await handle?.dispose();
});

const suspension = (i: number): AuditInput => ({
  action: "account.suspended",
  organisationId: randomUUID(),
  subjectAccountId: randomUUID(),
  detail: { before: { status: "active" }, after: { status: "suspended" }, rule: "UAP-4.3b", n: i, note: i % 2 ? `quote " and \\ backslash ${i}` : null },
});

describe("recordAuditBatch", () => {
  it("UAP-4.4 appends 6,001 events to the hash chain in order, between single events, and the chain verifies", async () => {
    const events = Array.from({ length: 6_001 }, (_, i) => suspension(i));
    await handle.db.transaction((tx) => recordAudit(tx, staff, clock, { action: "account.amended", detail: { first: true } }));
    clock.advance(60_000);
    const written = await handle.db.transaction((tx) => recordAuditBatch(tx, job, clock, events));
    clock.advance(60_000);
    await handle.db.transaction((tx) => recordAudit(tx, staff, clock, { action: "account.amended", detail: { last: true } }));

    expect(written).toBe(6_001);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: 6_003 });
    const rows = await handle.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 6_003 }, (_, i) => i + 1));
    const batch = rows.slice(1, -1);
    expect(batch.map((r) => r.subjectAccountId)).toEqual(events.map((e) => e.subjectAccountId));
    expect(batch[4_321]).toMatchObject({
      action: "account.suspended",
      channel: "job",
      actorId: null,
      actorLabel: "Inactivity suspensions",
      organisationId: events[4_321]!.organisationId,
      clientAddress: null,
      userAgent: null,
      requestId: null,
      occurredAt: new Date("2026-05-04T05:01:00.000Z"),
      detail: events[4_321]!.detail,
    });
    expect(rows.at(-1)).toMatchObject({ actorLabel: "Sam Staff (operator)", clientAddress: "192.0.2.10", detail: { last: true } });
  });

  it("UAP-4.4 keeps the actor's address and agent, and writes nothing for no events", async () => {
    expect(await handle.db.transaction((tx) => recordAuditBatch(tx, staff, clock, []))).toBe(0);
    await handle.db.transaction((tx) => recordAuditBatch(tx, staff, clock, [suspension(1)]));
    const [row] = await handle.db.select().from(tables.auditEvents);
    expect(row).toMatchObject({ actorId: staff.accountId, channel: "web", clientAddress: "192.0.2.10", userAgent: "Vitest" });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: 1 });
  });

  it("UAP-4.4 a batch the database refuses part-way rolls back whole, with the change it records", async () => {
    const events = Array.from({ length: 6_000 }, (_, i) => suspension(i));
    // A constraint of the test's own refuses one event of the second batch, after the first batch was inserted.
    await handle.db.execute(sql`alter table audit_events add constraint test_refuses_poison check (detail->>'note' is distinct from 'poison')`);
    events[3_000] = { ...events[3_000]!, detail: { note: "poison" } };
    const [organisation] = await handle.db.insert(tables.organisations).values({ odsCode: "BATCH1", name: "Batch Care Ltd", kind: "provider", type: "care_home" }).returning();
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.update(tables.organisations).set({ name: "Renamed in the failed transaction" }).where(eq(tables.organisations.id, organisation!.id));
        await recordAuditBatch(tx, job, clock, events);
      }),
    ).rejects.toThrow(/audit_events/);
    const [{ n }] = (await handle.db.select({ n: count() }).from(tables.auditEvents)) as [{ n: number }];
    expect(n).toBe(0);
    const [after] = await handle.db.select().from(tables.organisations).where(eq(tables.organisations.id, organisation!.id));
    expect(after!.name).toBe("Batch Care Ltd");
    // The chain carries on from where it was.
    await handle.db.transaction((tx) => recordAuditBatch(tx, job, clock, [suspension(1), suspension(2)]));
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: 2 });
  });

  it("UAP-4.4 an event that is not a valid audit input is refused before anything is written", async () => {
    const events = [suspension(1), { action: "Not An Action", detail: {} }];
    await expect(handle.db.transaction((tx) => recordAuditBatch(tx, job, clock, events))).rejects.toThrow(/dotted lower-case/);
    const [{ n }] = (await handle.db.select({ n: count() }).from(tables.auditEvents)) as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe("enqueueMessages", () => {
  const message = (i: number, key = `sweep-test:${i}`): OutboundMessage => ({
    kind: "inactivity_suspended",
    to: [`user${i}@sweep.example.org`],
    cc: i % 3 === 0 ? [] : ["lead@sweep.example.org"],
    subject: `Your account has been suspended (${i})`,
    text: `Dear Person ${i},\n\n"Quoted", back\\slash and ünïcode.`,
    idempotencyKey: key,
  });

  it("queues 5,000 messages in one transaction, each as enqueueMessage would, and ignores repeated idempotency keys", async () => {
    await handle.db.insert(tables.outboundMessages).values({ kind: "earlier", to: ["x@sweep.example.org"], subject: "Earlier", text: "Earlier", idempotencyKey: "sweep-test:7" });
    const messages = [...Array.from({ length: 5_000 }, (_, i) => message(i)), message(4_999), { ...message(5_000), idempotencyKey: undefined, sensitive: true }];
    const queued = await handle.db.transaction((tx) => enqueueMessages(tx, messages));
    // 5,000 distinct keys, one of them already in the outbox; the repeat of 4,999 is ignored; one keyless message.
    expect(queued).toBe(5_000);
    const rows = await handle.db.select().from(tables.outboundMessages).where(like(tables.outboundMessages.idempotencyKey, "sweep-test:%"));
    expect(rows).toHaveLength(5_000);
    const row = rows.find((r) => r.idempotencyKey === "sweep-test:4001");
    expect(row).toMatchObject({
      kind: "inactivity_suspended",
      to: ["user4001@sweep.example.org"],
      cc: ["lead@sweep.example.org"],
      subject: "Your account has been suspended (4001)",
      text: 'Dear Person 4001,\n\n"Quoted", back\\slash and ünïcode.',
      requestId: null,
      sensitive: false,
      status: "pending",
      attempts: 0,
    });
    expect(rows.find((r) => r.idempotencyKey === "sweep-test:7")).toMatchObject({ kind: "earlier" });
    const [keyless] = await handle.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.subject, "Your account has been suspended (5000)"));
    expect(keyless).toMatchObject({ sensitive: true, cc: ["lead@sweep.example.org"] });
    expect(keyless!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows.find((r) => r.idempotencyKey === "sweep-test:4002")).toMatchObject({ cc: [] });
  });

  it("writes nothing when the transaction rolls back", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await enqueueMessages(tx, Array.from({ length: 3_000 }, (_, i) => message(i)));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await handle.db.select().from(tables.outboundMessages)).toHaveLength(0);
  });
});

describe("writeInterleaved", () => {
  const message = (i: number): OutboundMessage => ({
    kind: "inactivity_suspended",
    to: [`user${i}@sweep.example.org`],
    cc: ["lead@sweep.example.org"],
    subject: `Suspended (${i})`,
    text: `Dear Person ${i},\n\n{braces}, "quotes", back\\slash, NULL and ünïcode.`,
    idempotencyKey: `interleaved:${i}`,
  });

  it("UAP-4.4 writes emails and audit events in turn on one transaction: every row, the chain in order and verifying", async () => {
    const events = Array.from({ length: 4_000 }, (_, i) => suspension(i));
    let queued = 0;
    await handle.db.transaction(async (tx) => {
      const audit = await openAuditBatch(tx, job, clock);
      await writeInterleaved(
        messageStatements(tx, Array.from({ length: 4_000 }, (_, i) => message(i)), (n) => (queued += n)),
        audit.statementsOf(events),
      );
    });
    expect(queued).toBe(4_000);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: 4_000 });
    const rows = await handle.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
    expect(rows.map((r) => r.subjectAccountId)).toEqual(events.map((e) => e.subjectAccountId));
    expect(rows[3_999]!.detail).toEqual(events[3_999]!.detail);
    const [mail] = await handle.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.idempotencyKey, "interleaved:3999"));
    expect(mail).toMatchObject({ to: ["user3999@sweep.example.org"], cc: ["lead@sweep.example.org"], text: message(3_999).text, sensitive: false, requestId: null });
  });

  it("UAP-4.4 an invalid event in a later batch stops the writing, and the transaction rolls back whole", async () => {
    const events = Array.from({ length: 4_000 }, (_, i) => suspension(i));
    events[3_500] = { action: "Not An Action", detail: {} };
    await expect(
      handle.db.transaction(async (tx) => {
        const audit = await openAuditBatch(tx, job, clock);
        await writeInterleaved(messageStatements(tx, Array.from({ length: 4_000 }, (_, i) => message(i)), () => undefined), audit.statementsOf(events));
      }),
    ).rejects.toThrow(/dotted lower-case/);
    expect(await handle.db.select({ n: count() }).from(tables.auditEvents)).toEqual([{ n: 0 }]);
    expect(await handle.db.select({ n: count() }).from(tables.outboundMessages)).toEqual([{ n: 0 }]);
  });
});
