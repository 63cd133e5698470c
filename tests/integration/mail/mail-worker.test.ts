import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "@/lib/clock";
import { resendSenderFromEnv } from "@/lib/mail/resend-sender";
import type { MailSender } from "@/lib/mail/sender";
import { startMailWorker, type MailWorker } from "@/lib/runtime/mail-worker";
import { eventually, createMailWorld, heldSender, messageRow, queueMessage, type MailWorld } from "./fixtures";

/** The in-process worker: runs delivery every few seconds when RESEND_API_KEY is set, and never otherwise. */

let world: MailWorld;
let worker: MailWorker | null = null;
beforeEach(async () => {
  world = await createMailWorld();
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await world?.dispose();
});

describe("without RESEND_API_KEY", () => {
  it("nothing is sent: there is no worker and messages wait in the outbox for staff", async () => {
    const { db, config, resend } = world;
    const { id } = await queueMessage(db);
    for (const env of [{}, { RESEND_API_KEY: "" }, { RESEND_API_KEY: "   ", RESEND_BASE_URL: resend.url }]) {
      expect(resendSenderFromEnv(env, config)).toBeNull();
      // Not even with a sender at hand.
      worker = startMailWorker({ db, clock: systemClock, config, env, intervalMs: 10, sender: world.sender, log: world.log });
      expect(worker).toBeNull();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await messageRow(db, id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(resend.calls).toEqual([]);
  });
});

describe("with RESEND_API_KEY", () => {
  it("sends due messages through Resend at RESEND_BASE_URL with that key, on its own", async () => {
    const { db, config, resend } = world;
    const { id } = await queueMessage(db);
    worker = startMailWorker({
      db,
      clock: systemClock,
      config,
      env: { RESEND_API_KEY: "re_from_env", RESEND_BASE_URL: resend.url, RESEND_FROM: "Portal <no-reply@brokerage.example.org>" },
      intervalMs: 20,
      log: world.log,
    });
    expect(worker).not.toBeNull();
    await eventually(async () => (await messageRow(db, id)).status === "sent");
    expect(resend.calls).toHaveLength(1);
    expect(resend.calls[0]!.headers.authorization).toBe("Bearer re_from_env");
    expect(resend.calls[0]!.body).toMatchObject({ from: "Portal <no-reply@brokerage.example.org>", reply_to: config.operator.mailbox });

    // A message queued later goes out at a later tick.
    const later = await queueMessage(db);
    await eventually(async () => (await messageRow(db, later.id)).status === "sent");
    expect(resend.calls).toHaveLength(2);
  });

  it("never runs two deliveries at once, however short the interval", async () => {
    const { db, config } = world;
    for (let i = 0; i < 4; i++) await queueMessage(db);
    let inFlight = 0;
    let most = 0;
    let sent = 0;
    const slow: MailSender = {
      async send() {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 60));
        inFlight -= 1;
        sent += 1;
        return { ok: true, providerMessageId: `id-${sent}` };
      },
    };
    worker = startMailWorker({ db, clock: systemClock, config, env: { RESEND_API_KEY: "re_x" }, intervalMs: 5, batchSize: 2, sender: slow, log: world.log });
    await eventually(async () => sent === 4);
    expect(most).toBe(1);
  });

  it("stop() waits for the delivery in progress, and nothing runs after it", async () => {
    const { db, config } = world;
    const { id } = await queueMessage(db);
    const held = heldSender();
    worker = startMailWorker({ db, clock: systemClock, config, env: { RESEND_API_KEY: "re_x" }, intervalMs: 10, sender: held, log: world.log });
    await held.started;
    let stopped = false;
    const stopping = worker!.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    held.release({ ok: true, providerMessageId: "re_held" });
    await stopping;
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", providerMessageId: "re_held" });

    const after = await queueMessage(db);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await messageRow(db, after.id)).toMatchObject({ status: "pending" });
    expect(await worker!.runOnce()).toBeNull();
  });

  it("survives a failing run (the database went away) and says so in the log", async () => {
    const { config } = world;
    const broken = new Proxy({}, { get: () => () => { throw new Error("connection terminated"); } }) as MailWorld["db"];
    worker = startMailWorker({ db: broken, clock: systemClock, config, env: { RESEND_API_KEY: "re_x" }, intervalMs: 10, sender: world.sender, log: world.log });
    expect(await worker!.runOnce()).toBeNull();
    await eventually(async () => world.logLines.filter((l) => l.event === "mail.worker_failed").length >= 2);
  });
});
