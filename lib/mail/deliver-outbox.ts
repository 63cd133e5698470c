import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { recordAudit, systemActor, type Actor } from "../audit";
import type { Clock } from "../clock";
import { outboundMessages } from "../db/schema/outbox";
import type { Database } from "../db/types";
import { silentMailLog, type MailLog } from "./mail-log";
import { DEFAULT_DELIVERY_POLICY, SEND_TIMEOUT_MS, decideOutcome, truncateError, type AttemptResult, type DeliveryPolicy, type Outcome } from "./rules";
import type { MailSender } from "./sender";

type MessageRow = typeof outboundMessages.$inferSelect;

/** Who the audit log names for what the delivery worker decides on its own. */
export const MAIL_DELIVERY_ACTOR: Actor = systemActor("job", "Mail delivery");

/** Statuses a message may be claimed from (a "sending" one only once its lease has ended). */
const CLAIMABLE = ["pending", "failed", "sending"] as const;

export interface DeliverDueMessagesOptions {
  /**
   * The database itself, not a transaction: each claim, and each outcome, commits on its own,
   * so no lock is held while a message is on the wire.
   */
  db: Database;
  clock: Clock;
  sender: MailSender;
  /** How many messages one run claims at most (1–100; default 20). */
  batchSize?: number;
  policy?: Partial<DeliveryPolicy>;
  log?: MailLog;
  /** A send that takes longer is abandoned and retried (default SEND_TIMEOUT_MS). */
  sendTimeoutMs?: number;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Failed this time, due again later. */
  retrying: number;
  /** Given up: refused by the service, out of attempts, or interrupted on its last attempt. */
  dead: number;
  /** Taken over by another worker after our lease ended: our result was not recorded. */
  superseded: number;
}

/**
 * Sends the messages that are due: pending or failed ones whose next attempt time has come,
 * and "sending" ones whose worker's lease ended (it crashed mid-send). Safe with several
 * servers at once: a claim locks rows with FOR UPDATE SKIP LOCKED, so each due message goes
 * to one worker; the claim counts the attempt and holds the message for the lease. Each
 * outcome is written only while the claim is still ours (status "sending" and the same
 * attempt number), so a slow worker cannot overwrite the one that took its lease over. The
 * Idempotency-Key sent with each message covers the rest: a message sent twice is delivered once.
 */
export async function deliverDueMessages(options: DeliverDueMessagesOptions): Promise<DeliveryReport> {
  const { db, clock, sender } = options;
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
  const log = options.log ?? silentMailLog;
  const batchSize = Math.min(100, Math.max(1, Math.floor(options.batchSize ?? 20)));
  const report: DeliveryReport = { claimed: 0, sent: 0, retrying: 0, dead: 0, superseded: 0 };

  const claimed = await claimDueMessages(db, clock.now(), batchSize, policy.leaseMs);
  report.claimed = claimed.length;
  for (const message of claimed) {
    let outcome: Outcome;
    if (message.attempts > policy.maxAttempts) {
      // Its last attempt's worker stopped before recording a result: the email may or may not
      // have gone. Give it up, for staff to check and retry, rather than try beyond the limit.
      outcome = { status: "dead", reason: "interrupted", error: "The last attempt was interrupted before its result was recorded." };
    } else {
      const result = await attempt(sender, message, options.sendTimeoutMs ?? SEND_TIMEOUT_MS);
      outcome = decideOutcome(result, message.attempts, clock.now(), policy);
    }
    const recorded = await recordOutcome(db, clock, message, outcome);
    const fields = { messageId: message.id, kind: message.kind, attempts: message.attempts };
    if (!recorded) {
      report.superseded += 1;
      log("warn", "mail.superseded", { ...fields, outcome: outcome.status });
      continue;
    }
    if (outcome.status === "sent") {
      report.sent += 1;
      log("info", "mail.sent", { ...fields, providerMessageId: outcome.providerMessageId });
    } else if (outcome.status === "failed") {
      report.retrying += 1;
      log("warn", "mail.failed", { ...fields, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt.toISOString() });
    } else {
      report.dead += 1;
      log("error", "mail.dead_lettered", { ...fields, reason: outcome.reason, error: outcome.error });
    }
  }
  return report;
}

/**
 * One statement: lock up to `limit` due rows no other worker holds, mark them "sending" with a
 * lease, count the attempt. READ COMMITTED re-checks a row another worker changed meanwhile, so
 * a row claimed and committed elsewhere no longer matches and is passed over.
 */
async function claimDueMessages(db: Database, now: Date, limit: number, leaseMs: number): Promise<MessageRow[]> {
  const due = db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(inArray(outboundMessages.status, [...CLAIMABLE]), lte(outboundMessages.nextAttemptAt, now)))
    .orderBy(asc(outboundMessages.nextAttemptAt), asc(outboundMessages.createdAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(outboundMessages)
    .set({
      status: "sending",
      attempts: sql`${outboundMessages.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(inArray(outboundMessages.id, due))
    .returning();
  // Oldest first; RETURNING keeps no order.
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/** Sends one message; a throw or a hang becomes a retryable failure. */
async function attempt(sender: MailSender, message: MessageRow, timeoutMs: number): Promise<AttemptResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<AttemptResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, retryable: true, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  try {
    const sending = sender.send(
      { to: message.to, cc: message.cc, subject: message.subject, text: message.text, idempotencyKey: message.idempotencyKey },
      { signal: controller.signal },
    );
    return await Promise.race([sending, timedOut]);
  } catch (error) {
    // The error's name and message only: never the message being sent.
    return { ok: false, retryable: true, error: error instanceof Error ? `${error.name}: ${error.message}` : truncateError(String(error)) };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes the outcome if the claim is still ours; a dead letter is audited in the same transaction. */
async function recordOutcome(db: Database, clock: Clock, message: MessageRow, outcome: Outcome): Promise<boolean> {
  const now = clock.now();
  const stillOurs = and(eq(outboundMessages.id, message.id), eq(outboundMessages.status, "sending"), eq(outboundMessages.attempts, message.attempts));
  if (outcome.status === "sent") {
    const rows = await db
      .update(outboundMessages)
      .set({ status: "sent", providerMessageId: outcome.providerMessageId, sentAt: now, lastError: null, nextAttemptAt: now, updatedAt: now })
      .where(stillOurs)
      .returning({ id: outboundMessages.id });
    return rows.length > 0;
  }
  if (outcome.status === "failed") {
    const rows = await db
      .update(outboundMessages)
      .set({ status: "failed", lastError: outcome.error, nextAttemptAt: outcome.nextAttemptAt, updatedAt: now })
      .where(stillOurs)
      .returning({ id: outboundMessages.id });
    return rows.length > 0;
  }
  // An interrupted last attempt was claimed again only to be given up: it is not an attempt.
  const attempts = outcome.reason === "interrupted" ? message.attempts - 1 : message.attempts;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(outboundMessages)
      .set({ status: "dead", attempts, lastError: outcome.error, nextAttemptAt: now, updatedAt: now })
      .where(stillOurs)
      .returning({ id: outboundMessages.id });
    if (rows.length === 0) return false;
    await recordAudit(tx, MAIL_DELIVERY_ACTOR, clock, {
      action: "mail.dead_lettered",
      requestId: message.requestId,
      detail: { messageId: message.id, kind: message.kind, attempts, reason: outcome.reason, error: outcome.error },
    });
    return true;
  });
}
