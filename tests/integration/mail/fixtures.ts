import { asc, eq } from "drizzle-orm";
import { fixedClock } from "@/lib/clock";
import { mergeConfig, validateConfig, type PortalConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { tables } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { deliverDueMessages, type DeliverDueMessagesOptions } from "@/lib/mail/deliver-outbox";
import { enqueueMessage, type OutboundMessage } from "@/lib/mail/enqueue-message";
import type { MailLog } from "@/lib/mail/mail-log";
import { createResendSender } from "@/lib/mail/resend-sender";
import type { MailSender } from "@/lib/mail/sender";
import { startFakeResend, type FakeResend } from "@/tests/support/fake-resend";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/** Shared set-up for the outbox delivery tests: a database, a fake Resend, a Resend sender pointed at it. */

export const API_KEY = "re_test_0123456789";
export const FROM = "Integrated Brokerage <portal@brokerage.example.org>";
export const REPLY_TO = "brokerage@council.example.gov.uk";

export interface MailWorld {
  handle: TestDatabase;
  db: Database;
  /**
   * Starts a minute after the real time: enqueueMessage stamps next_attempt_at with the
   * database's now(), so a new message is due at once on this clock.
   */
  clock: ReturnType<typeof fixedClock>;
  config: PortalConfig;
  resend: FakeResend;
  sender: MailSender;
  /** Log lines the worker wrote, for checks that no body leaks into them. */
  logLines: { level: string; event: string; fields: Record<string, unknown> }[];
  log: MailLog;
  deliver(options?: Partial<DeliverDueMessagesOptions>): ReturnType<typeof deliverDueMessages>;
  dispose(): Promise<void>;
}

export async function createMailWorld(): Promise<MailWorld> {
  const [handle, resend] = await Promise.all([createTestDatabase(), startFakeResend()]);
  const clock = fixedClock(new Date(Date.now() + 60_000));
  const config = validateConfig(mergeConfig(councilProfile, {}));
  const sender = createResendSender({ apiKey: API_KEY, from: FROM, replyTo: REPLY_TO, baseUrl: resend.url });
  const logLines: MailWorld["logLines"] = [];
  const log: MailLog = (level, event, fields = {}) => void logLines.push({ level, event, fields });
  const db = handle.db;
  return {
    handle,
    db,
    clock,
    config,
    resend,
    sender,
    logLines,
    log,
    deliver: (options = {}) => deliverDueMessages({ db, clock, sender, log, ...options }),
    async dispose() {
      await Promise.all([handle.dispose(), resend.close()]);
    },
  };
}

let counter = 0;
/** Queues a message in a transaction of its own; returns its id and key. */
export async function queueMessage(db: Database, overrides: Partial<OutboundMessage> = {}): Promise<{ id: string; idempotencyKey: string }> {
  const n = ++counter;
  const idempotencyKey = overrides.idempotencyKey ?? `test:${n}:${Math.random().toString(36).slice(2)}`;
  const id = await db.transaction((tx) =>
    enqueueMessage(tx, {
      kind: "test_message",
      to: [`person${n}@meadowbank-care.example.org`],
      subject: `Test message ${n}`,
      text: `Hello, this is test message ${n}.`,
      ...overrides,
      idempotencyKey,
    }),
  );
  return { id, idempotencyKey };
}

export async function messageRow(db: Database, id: string) {
  const [row] = await db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.id, id));
  if (!row) throw new Error(`no outbound message ${id}`);
  return row;
}

/** Audit events of one action, oldest first. */
export async function auditOf(db: Database, action: string) {
  return db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, action)).orderBy(asc(tables.auditEvents.seq));
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A sender that answers only when the test says so, to hold a send in flight. */
export function heldSender(): MailSender & { started: Promise<void>; release(result: Awaited<ReturnType<MailSender["send"]>>): void } {
  let markStarted: () => void = () => undefined;
  let answer: (result: Awaited<ReturnType<MailSender["send"]>>) => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const answered = new Promise<Awaited<ReturnType<MailSender["send"]>>>((resolve) => (answer = resolve));
  return {
    started,
    release: (result) => answer(result),
    send() {
      markStarted();
      return answered;
    },
  };
}
