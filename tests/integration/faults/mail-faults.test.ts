import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit";
import { tables } from "@/lib/db";
import { retryDeadMessage } from "@/lib/mail/retry-message";
import { enqueueMessage } from "@/lib/mail/enqueue-message";
import { createMailWorld, type MailWorld } from "../mail/fixtures";

/**
 * Faults (issue 11): Resend (its local fake) answering 429, 500 and too slowly, mixed, over a
 * batch of emails. The outbox retries with backoff, gives up into the dead-letter state after
 * the allowed attempts, and no email is ever delivered twice: every attempt carries the
 * message's idempotency key, so a send that Resend accepted but answered too late is not
 * delivered again when it is retried.
 */

let world: MailWorld;
const policy = { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 600_000, leaseMs: 300_000 };

beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await world.dispose();
});

async function enqueue(n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `fault-${i}-${Math.random().toString(36).slice(2)}`;
    keys.push(key);
    await world.db.transaction((tx) => enqueueMessage(tx, { kind: "test", to: [`person${i}@nhs.net`], subject: `Message ${i}`, text: `Body ${i}`, idempotencyKey: key }));
  }
  return keys;
}

function deliveredPerKey(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of world.resend.delivered) {
    const key = String(call.headers["idempotency-key"]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function statuses() {
  return world.db.select({ key: tables.outboundMessages.idempotencyKey, status: tables.outboundMessages.status, attempts: tables.outboundMessages.attempts }).from(tables.outboundMessages);
}

describe("Resend answering 429, 500 and timeouts", () => {
  it("every email is delivered exactly once after retries with growing waits", async () => {
    const keys = await enqueue(6);
    // The first sends meet a rate limit, server errors and a hang longer than the send timeout.
    world.resend.failNext(429, 2);
    world.resend.failNext(500, 2);
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      // Round 1 also answers late: the worker gives up waiting, but Resend accepted those emails.
      world.resend.setDelay(round === 1 ? 400 : 0);
      await world.deliver({ policy, sendTimeoutMs: 150 });
      const pending = (await statuses()).filter((m) => m.status !== "sent");
      if (pending.length === 0) break;
      const [next] = await world.db.select({ at: tables.outboundMessages.nextAttemptAt }).from(tables.outboundMessages).where(eq(tables.outboundMessages.status, "failed")).orderBy(tables.outboundMessages.nextAttemptAt).limit(1);
      if (next) {
        waits.push(next.at.getTime() - world.clock.now().getTime());
        world.clock.set(new Date(next.at.getTime() + 1));
      }
    }
    // Let the late answers of round 1 land before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const final = await statuses();
    expect(final.map((m) => m.status)).toEqual(keys.map(() => "sent"));
    // Some emails needed more than one attempt, and the waits before retries were backoff, not a spin.
    expect(final.some((m) => m.attempts > 1)).toBe(true);
    expect(waits.every((ms) => ms >= 1000)).toBe(true);
    // The rate limit, the errors and the slow answers were all met …
    expect(world.resend.calls.some((c) => c.status === 429)).toBe(true);
    expect(world.resend.calls.some((c) => c.status === 500)).toBe(true);
    expect(world.resend.calls.length).toBeGreaterThan(keys.length);
    // … and still each email reached Resend's delivery once; retried sends after a timeout were replays.
    const delivered = deliveredPerKey();
    for (const key of keys) expect(delivered.get(key), key).toBe(1);
    expect(world.resend.calls.some((c) => c.replayed)).toBe(true);
  });

  it("an email that keeps failing goes to the dead-letter state (audited) after the allowed attempts, and a staff retry sends it once", async () => {
    const [key] = await enqueue(1);
    world.resend.failNext(500, policy.maxAttempts);
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
      await world.deliver({ policy });
      world.clock.advance(policy.maxDelayMs + 1);
    }
    const [dead] = await statuses();
    expect(dead).toMatchObject({ status: "dead", attempts: policy.maxAttempts });
    expect(world.resend.delivered).toHaveLength(0);
    const audit = await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents).where(eq(tables.auditEvents.action, "mail.dead_lettered"));
    expect(audit).toHaveLength(1);

    // Nothing more is tried on its own.
    await world.deliver({ policy });
    expect(world.resend.calls).toHaveLength(policy.maxAttempts);

    const [row] = await world.db.select({ id: tables.outboundMessages.id }).from(tables.outboundMessages);
    await world.db.transaction((tx) => retryDeadMessage({ tx, actor: systemActor("job", "Test staff"), clock: world.clock, messageId: row!.id }));
    await world.deliver({ policy });
    expect((await statuses())[0]).toMatchObject({ status: "sent" });
    expect(deliveredPerKey().get(key!)).toBe(1);
  });
});
