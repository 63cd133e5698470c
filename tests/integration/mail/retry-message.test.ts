import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit";
import { isAppError } from "@/lib/errors";
import { countOutboxByStatus, listOutbox } from "@/lib/mail/outbox-queries";
import { retryDeadMessage, retryMessageSchema } from "@/lib/mail/retry-message";
import { auditOf, createMailWorld, messageRow, queueMessage, type MailWorld } from "./fixtures";

/** Staff retry a dead letter (outbox:edit); the Outbox lists dead letters apart. */

const staff: Actor = { accountId: null, label: "Sam Operator", channel: "web", clientAddress: "10.0.0.7", userAgent: "Vitest" };

let world: MailWorld;
beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await world?.dispose();
});

async function deadLetter(): Promise<string> {
  const { id } = await queueMessage(world.db);
  world.resend.failNext(422);
  await world.deliver();
  expect((await messageRow(world.db, id)).status).toBe("dead");
  return id;
}

async function retry(messageId: string) {
  const { db, clock } = world;
  return db.transaction((tx) => retryDeadMessage({ tx, actor: staff, clock, messageId }));
}

describe("retrying a dead message", () => {
  it("queues it again with a full set of attempts, audited, and it is then sent with the same key", async () => {
    const { db, clock, resend } = world;
    const id = await deadLetter();
    const dead = await messageRow(db, id);
    clock.advance(60 * 60_000);

    await retry(id);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: clock.now() });
    const [event] = await auditOf(db, "mail.retry_requested");
    expect(event).toMatchObject({
      channel: "web",
      actorLabel: "Sam Operator",
      clientAddress: "10.0.0.7",
      detail: { messageId: id, kind: "test_message", previousAttempts: 1, lastError: dead.lastError },
    });

    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(resend.calls).toHaveLength(2);
    expect(resend.calls[1]!.headers["idempotency-key"]).toBe(resend.calls[0]!.headers["idempotency-key"]);
  });

  it("is refused for a message that is not dead (conflict), and for one that does not exist (not found)", async () => {
    const { db } = world;
    // Retried twice: the second is a conflict, and only one retry is audited.
    const dead = await deadLetter();
    await retry(dead);
    const { id: pending } = await queueMessage(db);
    for (const [messageId, code] of [
      [dead, "conflict"],
      [pending, "conflict"],
      ["6f1c9d2e-0000-4000-8000-000000000000", "not_found"],
    ] as const) {
      const error = await retry(messageId).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe(code);
    }
    expect(await auditOf(db, "mail.retry_requested")).toHaveLength(1);
    expect((await messageRow(db, pending)).status).toBe("pending");
  });

  it("takes a message id (uuid) only", () => {
    expect(retryMessageSchema.safeParse({ messageId: "not-a-uuid" }).success).toBe(false);
    expect(retryMessageSchema.safeParse({ messageId: "6f1c9d2e-0000-4000-8000-000000000000" }).success).toBe(true);
  });
});

describe("the Outbox", () => {
  it("lists dead letters apart, with attempts and the last error, and counts each state", async () => {
    const { db, resend } = world;
    const dead = await deadLetter();
    const { id: waiting } = await queueMessage(db);
    resend.failNext(500);
    await world.deliver();
    const { id: sent } = await queueMessage(db);
    await world.deliver();

    expect(await countOutboxByStatus(db)).toEqual({ pending: 0, sending: 0, sent: 1, failed: 1, dead: 1 });
    const deadList = await listOutbox(db, 1, { status: "dead" });
    expect(deadList).toMatchObject({ total: 1, page: 1, pages: 1 });
    expect(deadList.items).toEqual([expect.objectContaining({ id: dead, status: "dead", attempts: 1, lastError: expect.stringMatching(/^422 validation_error/) })]);
    const failed = await listOutbox(db, 1, { status: "failed" });
    expect(failed.items.map((m) => m.id)).toEqual([waiting]);
    expect(failed.items[0]!.nextAttemptAt.getTime()).toBeGreaterThan(world.clock.now().getTime());
    const all = await listOutbox(db);
    expect(all.total).toBe(3);
    expect(all.items.map((m) => m.id)).toEqual([sent, waiting, dead]);
  });
});
