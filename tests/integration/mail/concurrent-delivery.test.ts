import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { databaseKind } from "@/tests/support/test-database";
import { createMailWorld, messageRow, queueMessage, type MailWorld } from "./fixtures";

/**
 * Several servers deliver from one outbox (with DATABASE_URL the app scales out): each due
 * message is claimed by one worker and sent once.
 */

let world: MailWorld;
beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await world?.dispose();
});

/** Delivers until nothing is due; returns how many messages this worker claimed. */
async function drain(batchSize: number): Promise<number> {
  let claimed = 0;
  for (;;) {
    const report = await world.deliver({ batchSize });
    claimed += report.claimed;
    if (report.claimed === 0) return claimed;
  }
}

describe("racing workers", () => {
  it("send every message exactly once", async () => {
    const { db, resend } = world;
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) keys.push((await queueMessage(db)).idempotencyKey);
    resend.setDelay(15);
    const claims = await Promise.all([drain(3), drain(3), drain(5)]);
    expect(claims.reduce((a, b) => a + b, 0)).toBe(12);
    // One call a message, none replayed: no message was sent twice.
    expect(resend.calls.map((c) => c.headers["idempotency-key"]).sort()).toEqual([...keys].sort());
    expect(resend.delivered).toHaveLength(12);
    const rows = await db.select({ status: tables.outboundMessages.status, attempts: tables.outboundMessages.attempts }).from(tables.outboundMessages);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });
});

(databaseKind() === "postgres" ? describe : () => undefined)("on PostgreSQL, over separate connections", () => {
  it("a message another connection has locked is skipped, not waited for, and sent once by its owner", async () => {
    const { db, resend } = world;
    const held = await queueMessage(db);
    const free = await queueMessage(db);

    // Connection A: a transaction holds the row lock on one message (as a claim in progress does).
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select id from outbound_messages where id = ${held.id} for update`);
      locked();
      await released;
    });
    await isLocked;

    // Connection B (from the pool): claims what is free, without waiting for A.
    const started = Date.now();
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await messageRow(db, free.id)).status).toBe("sent");
    expect((await messageRow(db, held.id)).status).toBe("pending");

    release();
    await holder;
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(resend.calls.map((c) => c.headers["idempotency-key"])).toEqual([free.idempotencyKey, held.idempotencyKey]);
  });

  it("many workers racing over many connections claim each message once", async () => {
    const { db, resend } = world;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await queueMessage(db)).id);
    resend.setDelay(5);
    // Six workers at once: the pool gives each statement whichever of its connections is free.
    const claims = await Promise.all(Array.from({ length: 6 }, () => drain(4)));
    expect(claims.reduce((a, b) => a + b, 0)).toBe(40);
    expect(resend.calls).toHaveLength(40);
    expect(new Set(resend.calls.map((c) => c.headers["idempotency-key"])).size).toBe(40);
    for (const id of ids) expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 1 });
  });
});
