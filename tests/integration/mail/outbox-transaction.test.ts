import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordAudit, systemActor } from "@/lib/audit";
import { tables } from "@/lib/db";
import { enqueueMessage } from "@/lib/mail/enqueue-message";
import { auditOf, createMailWorld, type MailWorld } from "./fixtures";

/**
 * The transactional outbox: a message is written in the same transaction as the change that
 * causes it, so it is sent if and only if the change commits.
 */

let world: MailWorld;
beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await world?.dispose();
});

const message = (key: string) => ({ kind: "test_message", to: ["priya.shah@meadowbank-care.example.org"], subject: "Your account", text: "Hello", idempotencyKey: key });

describe("a change and its email", () => {
  it("commit together: the email is queued and then delivered", async () => {
    const { db, clock, resend } = world;
    await db.transaction(async (tx) => {
      await recordAudit(tx, systemActor(), clock, { action: "test.change_made", detail: { n: 1 } });
      await enqueueMessage(tx, message("change:committed"));
    });
    expect(await auditOf(db, "test.change_made")).toHaveLength(1);
    const [row] = await db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.idempotencyKey, "change:committed"));
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(await world.deliver()).toMatchObject({ sent: 1 });
    expect(resend.calls).toHaveLength(1);
  });

  it("roll back together: a failed change leaves no email to send", async () => {
    const { db, clock, resend } = world;
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, systemActor(), clock, { action: "test.change_made", detail: { n: 2 } });
        await enqueueMessage(tx, message("change:rolled-back"));
        throw new Error("the change failed after the email was queued");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.select().from(tables.outboundMessages)).toEqual([]);
    expect(await auditOf(db, "test.change_made")).toEqual([]);
    expect(await world.deliver()).toMatchObject({ claimed: 0 });
    expect(resend.calls).toEqual([]);
  });

  it("queued twice with one key is one email", async () => {
    const { db } = world;
    const first = await db.transaction((tx) => enqueueMessage(tx, message("change:once")));
    const second = await db.transaction((tx) => enqueueMessage(tx, message("change:once")));
    expect(first).not.toBe("");
    expect(second).toBe("");
    expect(await world.deliver()).toMatchObject({ claimed: 1, sent: 1 });
  });
});
