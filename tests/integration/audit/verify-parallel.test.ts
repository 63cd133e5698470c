import { randomUUID } from "node:crypto";
import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashEvent, recordAudit, verifyAuditChain, type Actor } from "@/lib/audit";
import type { ChainCheckpoint } from "@/lib/audit/chain-walk";
import { verifyAuditChainInParallel } from "@/lib/audit/verify-parallel";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { createTestDatabase, databaseKind, type TestDatabase } from "@/tests/support/test-database";
import { rewriteWholeChain, withTriggersOff } from "./tamper";

/**
 * UAP-4.4: verification split into ranges (PostgreSQL: COPY in one exported snapshot, the
 * ranges taken in turn by this thread and worker threads on their own connections) names the same first bad event, in the same words, as the sequential walk —
 * also when the damage sits in a later range or on a boundary between two. Twelve events in
 * three ranges: 1–4, 5–8, 9–12. On PGlite the parallel call is the sequential walk; the same
 * expectations hold there.
 */

const clock = fixedClock("2025-03-03T09:30:00.000Z");
// Characters COPY's text format escapes or that JSON escapes, so the COPY reader is tested on them.
const staff: Actor = { accountId: randomUUID(), label: "Sam\tStaff \\N (operator)\nback\\slash", channel: "web", clientAddress: "192.0.2.10", userAgent: "Vitest \"quoted\" \u0001" };
const RANGES = 3;

let handle: TestDatabase;
beforeEach(async () => {
  handle = await createTestDatabase();
});
afterEach(async () => {
  await handle?.dispose();
});

async function recordEvents(count: number) {
  for (let i = 0; i < count; i++) {
    clock.advance(60_000);
    await handle.db.transaction((tx) =>
      recordAudit(tx, staff, clock, { action: "account.amended", detail: { n: i, zebra: "ü ✓ 𝄞 \t\\", before: { role: "a", list: [1, 2.5, null] }, after: { role: "b" } } }),
    );
  }
  const events = await handle.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  return events;
}

/** Both ways of verifying, which must agree exactly. */
async function bothVerdicts(checkpoint: ChainCheckpoint | null = null) {
  const sequential = await verifyAuditChain(handle.db, { checkpoint });
  const parallel = await verifyAuditChainInParallel(handle.db, { checkpoint, ranges: RANGES });
  expect(parallel).toEqual(sequential);
  return parallel;
}

describe(`verification in ranges (${databaseKind()})`, () => {
  it("UAP-4.4 passes a good chain with escaped and non-ASCII text, in ranges as in one walk", async () => {
    const events = await recordEvents(12);
    expect(await bothVerdicts()).toEqual({ ok: true, events: 12, headSeq: 12, headHash: events[11]!.hash, checkpoint: null });
    // More ranges than events, and one range: the same verdict.
    expect(await verifyAuditChainInParallel(handle.db, { ranges: 40 })).toMatchObject({ ok: true, events: 12 });
    expect(await verifyAuditChainInParallel(handle.db, { ranges: 1 })).toMatchObject({ ok: true, events: 12 });
    // Many small ranges taken in turn by three threads (each takes the next when it has finished its last).
    expect(await verifyAuditChainInParallel(handle.db, { ranges: 12, threads: 3 })).toEqual(await verifyAuditChain(handle.db));
  });

  it("UAP-4.4 passes an empty log", async () => {
    await handle.superuserExecute(withTriggersOff("DELETE FROM audit_events;"));
    expect(await bothVerdicts()).toMatchObject({ ok: true, events: 0 });
  });

  it("UAP-4.4 names an altered event in the second range", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(withTriggersOff("UPDATE audit_events SET actor_label = 'Someone else' WHERE seq = 6;"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 5, firstBad: { seq: 6, id: events[5]!.id, problem: expect.stringMatching(/altered/) } });
  });

  it("UAP-4.4 names an altered event that opens a range", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(withTriggersOff("UPDATE audit_events SET action = 'account.created' WHERE seq = 5;"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 4, firstBad: { seq: 5, id: events[4]!.id, problem: expect.stringMatching(/altered/) } });
  });

  it("UAP-4.4 names the event after a removed last event of a range", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(withTriggersOff("DELETE FROM audit_events WHERE seq = 4;"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 3, firstBad: { seq: 5, id: events[4]!.id, problem: "sequence jumps from 3 to 5: an event was removed" } });
  });

  it("UAP-4.4 names the event after a removed first event of a range, and after a whole removed range", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(withTriggersOff("DELETE FROM audit_events WHERE seq = 9;"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 8, firstBad: { seq: 10, id: events[9]!.id, problem: "sequence jumps from 8 to 10: an event was removed" } });
    await handle.superuserExecute(withTriggersOff("DELETE FROM audit_events WHERE seq BETWEEN 5 AND 8;"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 4, firstBad: { seq: 10, id: events[9]!.id, problem: "sequence jumps from 4 to 10: an event was removed" } });
  });

  it("UAP-4.4 names the broken link across a boundary when the last event of a range is forged with its hash recomputed", async () => {
    const events = await recordEvents(12);
    const { hash: _old, ...fields } = { ...events[3]!, actorLabel: "Someone else" };
    await handle.superuserExecute(withTriggersOff(`UPDATE audit_events SET actor_label = 'Someone else', hash = '${hashEvent(fields)}' WHERE seq = 4;`));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 4, firstBad: { seq: 5, id: events[4]!.id, problem: expect.stringMatching(/link/) } });
  });

  it("UAP-4.4 names events swapped across a boundary", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(
      withTriggersOff(`UPDATE audit_events SET seq = -1 WHERE seq = 8;
        UPDATE audit_events SET seq = 8 WHERE seq = 9;
        UPDATE audit_events SET seq = 9 WHERE seq = -1;`),
    );
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 7, firstBad: { seq: 8, id: events[8]!.id, problem: expect.stringMatching(/link/) } });
  });

  it("UAP-4.4 names the first of two bad events when both ranges hold one", async () => {
    const events = await recordEvents(12);
    await handle.superuserExecute(withTriggersOff("UPDATE audit_events SET actor_label = 'x' WHERE seq IN (3, 11);"));
    expect(await bothVerdicts()).toMatchObject({ ok: false, events: 2, firstBad: { seq: 3, id: events[2]!.id } });
    // One event a range, three threads: the ranges after the bad one may or may not be read; the verdict is the same.
    expect(await verifyAuditChainInParallel(handle.db, { ranges: 12, threads: 3 })).toEqual(await verifyAuditChain(handle.db));
  });

  it("UAP-4.4 against a checkpoint: a rewrite from the second range on, and events removed from the end", async () => {
    const events = await recordEvents(12);
    const checkpoint: ChainCheckpoint = { seq: 10, hash: events[9]!.hash, at: new Date("2025-03-04T00:00:00.000Z") };
    await handle.superuserExecute(rewriteWholeChain(events, (event) => (event.seq === 6 ? { ...event, actorLabel: "Someone else" } : event)));
    expect(await bothVerdicts()).toMatchObject({ ok: true, events: 12 });
    expect(await bothVerdicts(checkpoint)).toMatchObject({ ok: false, events: 9, firstBad: { seq: 10, problem: expect.stringMatching(/differs from the checkpoint.*rewritten/) } });

    await handle.superuserExecute(withTriggersOff("DELETE FROM audit_events WHERE seq >= 9;"));
    const shortened = await bothVerdicts({ ...checkpoint, hash: "0".repeat(64) });
    expect(shortened).toMatchObject({ ok: false, events: 8, firstBad: { seq: 9, id: null, problem: expect.stringMatching(/removed from the end/) } });
  });
});
