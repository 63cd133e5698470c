import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { DEFAULT_DELIVERY_POLICY } from "@/lib/mail/rules";
import type { MailSender } from "@/lib/mail/sender";
import { API_KEY, FROM, REPLY_TO, auditOf, createMailWorld, heldSender, messageRow, queueMessage, type MailWorld } from "./fixtures";

/** deliverDueMessages: claims due outbox messages, sends them through Resend, records each outcome. */

const MINUTE = 60_000;

let world: MailWorld;
beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await world?.dispose();
});

describe("a due message", () => {
  it("is sent and marked sent with the provider's id and the time", async () => {
    const { db, clock, resend } = world;
    const { id, idempotencyKey } = await queueMessage(db, { to: ["priya.shah@meadowbank-care.example.org"], cc: ["lead@meadowbank-care.example.org"], subject: "Your account", text: "Hello Priya" });

    expect(await world.deliver()).toEqual({ claimed: 1, sent: 1, retrying: 0, dead: 0, superseded: 0 });

    expect(resend.calls).toHaveLength(1);
    const [call] = resend.calls;
    expect(call).toMatchObject({ method: "POST", path: "/emails", status: 200 });
    expect(call!.body).toEqual({
      from: FROM,
      to: ["priya.shah@meadowbank-care.example.org"],
      cc: ["lead@meadowbank-care.example.org"],
      reply_to: REPLY_TO,
      subject: "Your account",
      text: "Hello Priya",
    });
    expect(call!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, providerMessageId: call!.id, sentAt: clock.now(), lastError: null, idempotencyKey });
    // Nothing is due any more.
    clock.advance(24 * 60 * MINUTE);
    expect(await world.deliver()).toMatchObject({ claimed: 0 });
    expect(resend.calls).toHaveLength(1);
  });

  it("carries its idempotency key to Resend, so a repeated send is delivered once", async () => {
    const { db, resend } = world;
    const { id, idempotencyKey } = await queueMessage(db, { idempotencyKey: "account_created:7d1c0a4e" });
    await world.deliver();
    expect(resend.calls[0]!.headers["idempotency-key"]).toBe("account_created:7d1c0a4e");
    const first = await messageRow(db, id);

    // As if the result had been lost (a crash after Resend accepted it): the message is sent again.
    await db.update(tables.outboundMessages).set({ status: "pending", sentAt: null, providerMessageId: null }).where(eq(tables.outboundMessages.id, id));
    await world.deliver();
    expect(resend.calls).toHaveLength(2);
    expect(resend.calls[1]!.headers["idempotency-key"]).toBe(idempotencyKey);
    expect(resend.calls[1]!.replayed).toBe(true);
    expect(resend.delivered).toHaveLength(1);
    expect((await messageRow(db, id)).providerMessageId).toBe(first.providerMessageId);
  });

  it("is sent oldest first, at most a batch at a time", async () => {
    const { db, resend } = world;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await queueMessage(db)).id);
    expect(await world.deliver({ batchSize: 3 })).toMatchObject({ claimed: 3, sent: 3 });
    expect(await world.deliver({ batchSize: 3 })).toMatchObject({ claimed: 2, sent: 2 });
    const keys = await Promise.all(ids.map(async (id) => (await messageRow(db, id)).idempotencyKey));
    expect(resend.calls.map((c) => c.headers["idempotency-key"])).toEqual(keys);
  });

  it("waits while its next attempt time is in the future", async () => {
    const { db, clock } = world;
    const { id } = await queueMessage(db);
    await db.update(tables.outboundMessages).set({ nextAttemptAt: new Date(clock.now().getTime() + 10 * MINUTE) }).where(eq(tables.outboundMessages.id, id));
    expect(await world.deliver()).toMatchObject({ claimed: 0 });
    clock.advance(10 * MINUTE);
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
  });
});

describe("a failed attempt", () => {
  it("after a 500 is retried with exponential backoff: 1, 2, 4 minutes …", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    resend.failNext(500, 3);

    for (const [attempt, waitMinutes] of [
      [1, 1],
      [2, 2],
      [3, 4],
    ] as const) {
      expect(await world.deliver()).toMatchObject({ claimed: 1, retrying: 1 });
      const row = await messageRow(db, id);
      expect(row).toMatchObject({ status: "failed", attempts: attempt, sentAt: null, providerMessageId: null });
      expect(row.lastError).toBe("500 internal_server_error: An unexpected error occurred.");
      expect(row.nextAttemptAt).toEqual(new Date(clock.now().getTime() + waitMinutes * MINUTE));
      // Not due again before its time.
      clock.advance(waitMinutes * MINUTE - 1_000);
      expect(await world.deliver()).toMatchObject({ claimed: 0 });
      clock.advance(1_000);
    }
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 4, lastError: null });
    expect(resend.calls.map((c) => c.status)).toEqual([500, 500, 500, 200]);
    // Every attempt carried the same key.
    expect(new Set(resend.calls.map((c) => c.headers["idempotency-key"])).size).toBe(1);
    // Retries are routine: only dead letters and staff retries reach the audit log.
    expect(await auditOf(db, "mail.dead_lettered")).toEqual([]);
  });

  it("after a 429 waits at least as long as Resend's Retry-After", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    resend.failNext(429);
    await world.deliver({ policy: { baseDelayMs: 10 } });
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.lastError).toContain("429 rate_limit_exceeded");
    expect(row.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 1_000));
  });

  it("after a network fault (nothing listening) is retried", async () => {
    const { db } = world;
    const { id } = await queueMessage(db);
    await world.resend.close();
    expect(await world.deliver()).toMatchObject({ retrying: 1 });
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.lastError).toMatch(/^network application_error/);
  });

  it("when the sender throws or hangs is retried", async () => {
    const { db, clock } = world;
    const { id } = await queueMessage(db);
    const throwing: MailSender = {
      send: async () => {
        throw new TypeError("socket hang up");
      },
    };
    await world.deliver({ sender: throwing });
    expect(await messageRow(db, id)).toMatchObject({ status: "failed", attempts: 1, lastError: "TypeError: socket hang up" });

    clock.advance(MINUTE);
    let aborted = false;
    const hanging: MailSender = {
      send: (_email, options) =>
        new Promise(() => {
          options?.signal?.addEventListener("abort", () => (aborted = true));
        }),
    };
    await world.deliver({ sender: hanging, sendTimeoutMs: 50 });
    expect(await messageRow(db, id)).toMatchObject({ status: "failed", attempts: 2, lastError: "timed out after 50 ms" });
    expect(aborted).toBe(true);
  });
});

describe("a dead letter", () => {
  it("is made after the last allowed attempt fails, and audited", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db, { requestId: null });
    resend.failNext(503, 3);
    const policy = { maxAttempts: 3 };
    await world.deliver({ policy });
    clock.advance(MINUTE);
    await world.deliver({ policy });
    clock.advance(2 * MINUTE);
    expect(await world.deliver({ policy })).toMatchObject({ claimed: 1, dead: 1 });
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "dead", attempts: 3, lastError: "503 application_error: Service unavailable." });

    const [event, ...more] = await auditOf(db, "mail.dead_lettered");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      channel: "job",
      actorId: null,
      actorLabel: "Mail delivery",
      detail: { messageId: id, kind: "test_message", attempts: 3, reason: "max_attempts", error: row.lastError },
    });
    // Never tried again on its own.
    clock.advance(24 * 60 * MINUTE);
    expect(await world.deliver({ policy })).toMatchObject({ claimed: 0 });
    expect(resend.calls).toHaveLength(3);
  });

  it(`is made at once when Resend refuses the message (422), without retrying`, async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    resend.failNext(422);
    expect(await world.deliver()).toMatchObject({ claimed: 1, dead: 1 });
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "dead", attempts: 1 });
    expect(row.lastError).toMatch(/^422 validation_error: Invalid `to` field/);
    expect((await auditOf(db, "mail.dead_lettered"))[0]!.detail).toMatchObject({ messageId: id, reason: "refused", attempts: 1 });
    clock.advance(24 * 60 * MINUTE);
    expect(await world.deliver()).toMatchObject({ claimed: 0 });
    expect(resend.calls).toHaveLength(1);
  });

  it("uses the default limit of attempts", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    resend.failNext(500, DEFAULT_DELIVERY_POLICY.maxAttempts);
    for (let i = 0; i < DEFAULT_DELIVERY_POLICY.maxAttempts; i++) {
      await world.deliver();
      clock.advance(DEFAULT_DELIVERY_POLICY.maxDelayMs);
    }
    expect(await messageRow(db, id)).toMatchObject({ status: "dead", attempts: DEFAULT_DELIVERY_POLICY.maxAttempts });
  });
});

describe("a message left 'sending' by a worker that stopped", () => {
  it("is due again once the lease ends, and then sent", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    // A worker claimed it just now, then crashed.
    await db
      .update(tables.outboundMessages)
      .set({ status: "sending", attempts: 1, nextAttemptAt: new Date(clock.now().getTime() + DEFAULT_DELIVERY_POLICY.leaseMs) })
      .where(eq(tables.outboundMessages.id, id));
    expect(await world.deliver()).toMatchObject({ claimed: 0 });
    clock.advance(DEFAULT_DELIVERY_POLICY.leaseMs);
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(resend.calls).toHaveLength(1);
  });

  it("on its last allowed attempt is given up (dead, audited) rather than tried beyond the limit", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    await db
      .update(tables.outboundMessages)
      .set({ status: "sending", attempts: 3, nextAttemptAt: clock.now() })
      .where(eq(tables.outboundMessages.id, id));
    expect(await world.deliver({ policy: { maxAttempts: 3 } })).toMatchObject({ claimed: 1, dead: 1 });
    expect(await messageRow(db, id)).toMatchObject({ status: "dead", attempts: 3 });
    expect((await auditOf(db, "mail.dead_lettered"))[0]!.detail).toMatchObject({ messageId: id, reason: "interrupted", attempts: 3 });
    expect(resend.calls).toHaveLength(0);
  });

  it("once taken over by another worker, the first worker's late result is not recorded", async () => {
    const { db, clock, resend } = world;
    const { id } = await queueMessage(db);
    const slow = heldSender();
    const first = world.deliver({ sender: slow });
    await slow.started;
    expect((await messageRow(db, id)).status).toBe("sending");

    // The lease ends; another worker claims the message and sends it.
    clock.advance(DEFAULT_DELIVERY_POLICY.leaseMs);
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });

    // The first worker finally hears back (a failure): too late to count.
    slow.release({ ok: false, retryable: true, error: "500 internal_server_error: late" });
    expect(await first).toMatchObject({ claimed: 1, superseded: 1, retrying: 0 });
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 2, providerMessageId: resend.calls[0]!.id, lastError: null });
    expect(world.logLines.some((l) => l.event === "mail.superseded" && l.fields.messageId === id)).toBe(true);
  });
});

describe("logs", () => {
  it("never carry a sensitive message's body or subject", async () => {
    const { db, clock, resend } = world;
    const secret = "Your sign-in code is 493817. It works for 10 minutes.";
    const { id } = await queueMessage(db, { kind: "sign_in_code", subject: "Sign-in code 493817", text: secret, sensitive: true });
    resend.failNext(500);
    await world.deliver();
    clock.advance(MINUTE);
    await world.deliver();
    expect((await messageRow(db, id)).status).toBe("sent");
    expect(world.logLines.map((l) => l.event)).toEqual(["mail.failed", "mail.sent"]);
    const logged = JSON.stringify(world.logLines);
    expect(logged).toContain(id);
    expect(logged).not.toContain("493817");
    // The body did reach the mail service.
    expect(resend.calls[1]!.body.text).toBe(secret);
  });
});
