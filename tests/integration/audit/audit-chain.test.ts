import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashEvent, recordAudit, verifyAuditChain, type Actor } from "@/lib/audit";
import { fixedClock } from "@/lib/clock";
import { queryRows, tables } from "@/lib/db";
import { createTestDatabase, databaseKind, refusal, type TestDatabase } from "@/tests/support/test-database";

/** The audit log is append-only in the database, and any tampering is found by verification. */

const clock = fixedClock("2025-03-03T09:30:00.000Z");
const staff: Actor = { accountId: randomUUID(), label: "Sam Staff (operator)", channel: "web", clientAddress: "192.0.2.10", userAgent: "Vitest" };

/** Records `count` events, one transaction each, and returns them in chain order. */
async function recordEvents(handle: TestDatabase, count: number) {
  for (let i = 0; i < count; i++) {
    clock.advance(60_000);
    await handle.db.transaction((tx) =>
      recordAudit(tx, staff, clock, { action: "account.amended", subjectAccountId: randomUUID(), detail: { n: i, before: { role: "a" }, after: { role: "b" } } }),
    );
  }
  return handle.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
}

describe("the database refuses changes to the record", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await recordEvents(handle, 3);
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  it("UAP-4.4 UPDATE, DELETE and TRUNCATE on audit_events are refused (42501)", async () => {
    const update = await refusal(handle.db.update(tables.auditEvents).set({ actorLabel: "Someone else" }).where(eq(tables.auditEvents.seq, 2)));
    expect(update.code).toBe("42501");
    const remove = await refusal(handle.db.delete(tables.auditEvents).where(eq(tables.auditEvents.seq, 2)));
    expect(remove.code).toBe("42501");
    const truncate = await refusal(handle.db.execute(sql`truncate table audit_events`));
    expect(truncate.code).toBe("42501");

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict).toMatchObject({ ok: true, events: 3 });
  });

  it("AUP-5.2e UPDATE, DELETE and TRUNCATE on request notes are refused (42501)", async () => {
    const [organisation] = await handle.db
      .insert(tables.organisations)
      .values({ odsCode: "AUP52E", name: "Riverside Care Ltd", kind: "provider", type: "care_home" })
      .returning();
    const [request] = await handle.db
      .insert(tables.requests)
      .values({ organisationId: organisation!.id, type: "new_user", title: "New user: Alex Person", channel: "web", dueAt: clock.now() })
      .returning();
    const [note] = await handle.db
      .insert(tables.requestNotes)
      .values({ requestId: request!.id, authorLabel: "Sam Staff", channel: "web", body: "Phoned the registered manager to confirm." })
      .returning();

    const update = await refusal(handle.db.update(tables.requestNotes).set({ body: "Nothing happened." }).where(eq(tables.requestNotes.id, note!.id)));
    expect(update.code).toBe("42501");
    const remove = await refusal(handle.db.delete(tables.requestNotes).where(eq(tables.requestNotes.id, note!.id)));
    expect(remove.code).toBe("42501");
    const truncate = await refusal(handle.db.execute(sql`truncate table request_notes`));
    expect(truncate.code).toBe("42501");

    const [kept] = await handle.db.select().from(tables.requestNotes).where(eq(tables.requestNotes.id, note!.id));
    expect(kept?.body).toBe("Phoned the registered manager to confirm.");
  });
});

describe("verification finds tampering", () => {
  // Each case tampers with the chain, so each starts from a fresh database.
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle?.dispose();
  });

  /** Runs SQL as a superuser with the append-only triggers switched off, then switches them on again. */
  const tamper = (statements: string) =>
    handle.superuserExecute(`
      BEGIN;
      ALTER TABLE audit_events DISABLE TRIGGER USER;
      ${statements}
      ALTER TABLE audit_events ENABLE TRIGGER USER;
      COMMIT;`);

  it("UAP-4.4 verifyAuditChain passes on a good chain, read in one batch or many", async () => {
    const events = await recordEvents(handle, 5);
    // Several events in one call share a transaction and continue the chain.
    await handle.db.transaction((tx) =>
      recordAudit(tx, staff, clock, [
        { action: "account.created", detail: { email: "new.person@riverside.example.org" } },
        { action: "role.granted", detail: { role: "care_manager" } },
      ]),
    );
    expect(events).toHaveLength(5);

    const whole = await verifyAuditChain(handle.db);
    expect(whole).toMatchObject({ ok: true, events: 7, headSeq: 7 });
    const paged = await verifyAuditChain(handle.db, { batchSize: 2 });
    expect(paged).toEqual(whole);
  });

  it("UAP-4.4 verification names the first bad event when a row is altered by a superuser with triggers disabled", async () => {
    const events = await recordEvents(handle, 5);
    await tamper(`UPDATE audit_events SET detail = '{"n": 2, "before": {"role": "a"}, "after": {"role": "admin"}}' WHERE seq = 3;`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.firstBad).toMatchObject({ seq: 3, id: events[2]!.id });
    expect(verdict.firstBad.problem).toMatch(/altered/);
    expect(verdict.events).toBe(2);

    // The triggers are on again: the database still refuses changes.
    const again = await refusal(handle.db.update(tables.auditEvents).set({ actorLabel: "x" }).where(eq(tables.auditEvents.seq, 1)));
    expect(again.code).toBe("42501");
  });

  it("UAP-4.4 verification names the first bad event when an altered row's hash is recomputed too", async () => {
    const events = await recordEvents(handle, 5);
    const forged = { ...events[1]!, actorLabel: "Someone else" };
    const { hash: _oldHash, ...fields } = forged;
    await tamper(`UPDATE audit_events SET actor_label = 'Someone else', hash = '${hashEvent(fields)}' WHERE seq = 2;`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    // Row 2 is self-consistent now, but row 3 no longer links to it.
    expect(verdict.firstBad).toMatchObject({ seq: 3, id: events[2]!.id });
    expect(verdict.firstBad.problem).toMatch(/link/);
  });

  it("UAP-4.4 verification names the first bad event when a row is deleted", async () => {
    const events = await recordEvents(handle, 5);
    await tamper(`DELETE FROM audit_events WHERE seq = 3;`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.firstBad).toMatchObject({ seq: 4, id: events[3]!.id });
    expect(verdict.firstBad.problem).toMatch(/removed/);
  });

  it("UAP-4.4 verification names the first bad event when a forged row is appended", async () => {
    const events = await recordEvents(handle, 4);
    const head = events.at(-1)!;
    // No trigger stands in the way of INSERT; the forger just cannot produce a matching hash
    // without the chain's rules, and here links to the wrong event.
    const forgedId = randomUUID();
    await handle.superuserExecute(`
      INSERT INTO audit_events (seq, id, occurred_at, action, channel, actor_label, detail, prev_hash, hash)
      VALUES (5, '${forgedId}', '2025-03-03T10:00:00Z', 'account.created', 'web', 'Sam Staff (operator)', '{}', '${events[2]!.hash}', '${head.hash}');`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.firstBad).toMatchObject({ seq: 5, id: forgedId });
  });

  it("UAP-4.4 verification names the first bad event when a forged row is slipped into the middle", async () => {
    const events = await recordEvents(handle, 5);
    // Make room at seq 3 (as a superuser), then insert a well-formed forgery that links to seq 2.
    const forgedFields = {
      seq: 3,
      id: randomUUID(),
      occurredAt: events[1]!.occurredAt,
      action: "role.granted",
      channel: "web",
      actorId: staff.accountId,
      actorLabel: staff.label,
      organisationId: null,
      subjectAccountId: null,
      requestId: null,
      clientAddress: null,
      userAgent: null,
      detail: { role: "system_administrator" },
      prevHash: events[1]!.hash,
    };
    await tamper(`
      UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 3;
      UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000;
      INSERT INTO audit_events (seq, id, occurred_at, action, channel, actor_id, actor_label, detail, prev_hash, hash)
      VALUES (3, '${forgedFields.id}', '${forgedFields.occurredAt.toISOString()}', 'role.granted', 'web', '${staff.accountId}',
              '${staff.label}', '{"role": "system_administrator"}', '${forgedFields.prevHash}', '${hashEvent(forgedFields)}');`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    // The forgery itself is self-consistent; the first event that cannot be right is the
    // displaced original, which no longer links to the event before it.
    expect(verdict.firstBad).toMatchObject({ seq: 4, id: events[2]!.id });
    expect(verdict.firstBad.problem).toMatch(/link/);
  });

  it("UAP-4.4 verification names the first bad event when two rows are swapped", async () => {
    const events = await recordEvents(handle, 5);
    await tamper(`
      UPDATE audit_events SET seq = -1 WHERE seq = 2;
      UPDATE audit_events SET seq = 2 WHERE seq = 3;
      UPDATE audit_events SET seq = 3 WHERE seq = -1;`);

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    // Seq 2 now holds the third event, which links to the second, not the first.
    expect(verdict.firstBad).toMatchObject({ seq: 2, id: events[2]!.id });
    expect(verdict.firstBad.problem).toMatch(/link/);
  });
});

describe("events belong to their transaction", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  it("AUP-7.1 an event carries the actor's account, name, channel, time and activity", async () => {
    const at = new Date("2025-04-01T08:15:00.000Z");
    const subjectAccountId = randomUUID();
    const [recorded] = await handle.db.transaction((tx) =>
      recordAudit(tx, staff, fixedClock(at), { action: "account.suspended", subjectAccountId, detail: { reason: "left the organisation" } }),
    );
    const [row] = await handle.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.id, recorded!.id));
    expect(row).toMatchObject({
      actorId: staff.accountId,
      actorLabel: "Sam Staff (operator)",
      channel: "web",
      occurredAt: at,
      action: "account.suspended",
      subjectAccountId,
      clientAddress: "192.0.2.10",
      userAgent: "Vitest",
      detail: { reason: "left the organisation" },
    });
  });

  it("UAP-4.4 events recorded in a rolled-back transaction leave no trace and no gap", async () => {
    const before = await verifyAuditChain(handle.db);
    expect(before.ok).toBe(true);
    const countBefore = before.ok ? before.events : 0;

    await expect(
      handle.db.transaction(async (tx) => {
        await recordAudit(tx, staff, clock, [{ action: "account.created", detail: {} }, { action: "role.granted", detail: {} }]);
        throw new Error("the change failed after its audit events were written");
      }),
    ).rejects.toThrow(/the change failed/);

    const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_events`);
    expect(n).toBe(countBefore);

    const [next] = await handle.db.transaction((tx) => recordAudit(tx, staff, clock, { action: "account.created", detail: {} }));
    expect(next!.seq).toBe(countBefore + 1);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: countBefore + 1 });
  });

  // Concurrency needs several connections: declared on the PostgreSQL project only.
  (databaseKind() === "postgres" ? it : () => undefined)("UAP-4.4 concurrent writers from many transactions keep one valid chain (PostgreSQL)", async () => {
    const before = await verifyAuditChain(handle.db);
    const countBefore = before.ok ? before.events : 0;
    const writers = 24;
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        handle.db.transaction(async (tx) => {
          // Some work before the audit write, so the transactions really overlap.
          await tx.execute(sql`select pg_sleep(${(i % 4) * 0.01})`);
          await recordAudit(tx, { ...staff, label: `Writer ${i}` }, clock, [
            { action: "account.amended", detail: { writer: i, part: 1 } },
            { action: "account.amended", detail: { writer: i, part: 2 } },
          ]);
        }),
      ),
    );

    const verdict = await verifyAuditChain(handle.db);
    expect(verdict).toMatchObject({ ok: true, events: countBefore + writers * 2 });
    // Each writer's two events stay together, in order.
    const rows = await handle.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
    const mine = rows.slice(countBefore);
    for (let i = 0; i < mine.length; i += 2) {
      expect(mine[i]!.actorLabel).toBe(mine[i + 1]!.actorLabel);
      expect(mine[i]!.detail).toMatchObject({ part: 1 });
      expect(mine[i + 1]!.detail).toMatchObject({ part: 2 });
    }
  });
});
