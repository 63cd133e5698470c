import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { portalMeta } from "../db/schema/meta";
import type { Executor } from "../db/types";

/**
 * What the intake remembers, in portal_meta (no table of its own yet): one row per message
 * processed — under its Message-ID and under its content hash — so a message is acted on once
 * however often it is fetched; the mailbox checkpoint (UIDVALIDITY and last UID); and when each
 * sender was last answered, so nobody gets more than one reply an hour.
 */

const digest = (value: string) => createHash("sha256").update(value).digest("hex");

export function messageKeys(message: { messageId: string | null; contentHash: string }): string[] {
  const keys = [`intake:content:${message.contentHash}`];
  if (message.messageId) keys.unshift(`intake:message-id:${digest(message.messageId)}`);
  return keys;
}

export interface ProcessedRecord {
  at: string;
  kind: string;
  folder: string;
  request: string | null;
}

/**
 * Claims a message in the caller's transaction: true when none of its keys was seen before.
 * A concurrent claim of the same key waits for this transaction and then sees it taken.
 */
export async function claimMessage(tx: Executor, keys: string[], record: ProcessedRecord): Promise<boolean> {
  const existing = await tx.select({ key: portalMeta.key }).from(portalMeta).where(inArray(portalMeta.key, keys));
  if (existing.length > 0) return false;
  const inserted = await tx
    .insert(portalMeta)
    .values(keys.map((key) => ({ key, value: record })))
    .onConflictDoNothing({ target: portalMeta.key })
    .returning({ key: portalMeta.key });
  if (inserted.length < keys.length) {
    // Someone else claimed one of the keys meanwhile: undo ours by failing the transaction.
    throw new DuplicateMessage();
  }
  return true;
}

/** The outcome is known only after acting: the claim rows are brought up to date with it. */
export async function completeClaim(tx: Executor, keys: string[], record: ProcessedRecord): Promise<void> {
  await tx.update(portalMeta).set({ value: record, updatedAt: new Date(record.at) }).where(inArray(portalMeta.key, keys));
}

export async function processedRecord(db: Executor, keys: string[]): Promise<ProcessedRecord | null> {
  const [row] = await db.select({ value: portalMeta.value }).from(portalMeta).where(inArray(portalMeta.key, keys)).limit(1);
  return (row?.value as ProcessedRecord | undefined) ?? null;
}

export class DuplicateMessage extends Error {
  constructor() {
    super("message already claimed by another run");
    this.name = "DuplicateMessage";
  }
}

/** At most one reply of ours per sender per hour (the acknowledgement of a request aside). */
export async function takeReplySlot(tx: Executor, email: string, now: Date, windowMs = 60 * 60 * 1000): Promise<boolean> {
  const key = `intake:reply:${digest(email.toLowerCase())}`;
  const [row] = await tx.select({ value: portalMeta.value }).from(portalMeta).where(eq(portalMeta.key, key)).for("update");
  const last = (row?.value as { at?: string } | undefined)?.at;
  if (last && now.getTime() - new Date(last).getTime() < windowMs) return false;
  await tx
    .insert(portalMeta)
    .values({ key, value: { at: now.toISOString() } })
    .onConflictDoUpdate({ target: portalMeta.key, set: { value: sql`excluded.value`, updatedAt: now } });
  return true;
}

export interface MailboxCheckpoint {
  uidValidity: string;
  lastUid: number;
}

export function checkpointKey(account: string, mailbox: string): string {
  return `intake:checkpoint:${account}/${mailbox}`;
}

export async function readCheckpoint(db: Executor, key: string): Promise<MailboxCheckpoint | null> {
  const [row] = await db.select({ value: portalMeta.value }).from(portalMeta).where(eq(portalMeta.key, key));
  return (row?.value as MailboxCheckpoint | undefined) ?? null;
}

export async function writeCheckpoint(db: Executor, key: string, checkpoint: MailboxCheckpoint, now: Date): Promise<void> {
  await db
    .insert(portalMeta)
    .values({ key, value: checkpoint, updatedAt: now })
    .onConflictDoUpdate({ target: portalMeta.key, set: { value: sql`excluded.value`, updatedAt: now } });
}
