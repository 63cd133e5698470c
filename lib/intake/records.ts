import { createHash } from "node:crypto";
import { asc, eq, or, sql } from "drizzle-orm";
import { inboundMessages } from "../db/schema/inbound-messages";
import { portalMeta } from "../db/schema/meta";
import { queryRows, type Executor } from "../db/types";
import type { MessageKeys } from "./read-email";

/**
 * What the intake remembers. Each message taken from the mailbox is a row of inbound_messages,
 * keyed by its Message-ID (as a digest) and its content hash, so a message is acted on once
 * however often it is fetched. Two small facts stay in portal_meta: the mailbox checkpoint
 * (UIDVALIDITY and last UID) and when each sender was last answered, so nobody gets more than
 * one reply an hour.
 */

const digest = (value: string) => createHash("sha256").update(value).digest("hex");

/** What is known of a message when it is claimed, before it is acted on. */
export interface ClaimFacts {
  mailbox?: string | null;
  uidValidity?: string | null;
  uid?: number | null;
  size: number;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
}

export type InboundMessageRow = typeof inboundMessages.$inferSelect;

/**
 * Claims a batch of messages in one statement: each message's row id, or null when one of its
 * keys was taken — before (an earlier copy, a retry after a crash, a concurrent run) or by an
 * earlier message of the same batch (which then is not inserted at all, so no two rows of the
 * statement can collide and every returned row names exactly one message).
 */
export async function claimMessages(tx: Executor, messages: readonly { keys: MessageKeys; facts: ClaimFacts }[]): Promise<(string | null)[]> {
  const seen = new Set<string>();
  const fresh = messages.map(({ keys }) => {
    const taken = seen.has(`c:${keys.contentHash}`) || (keys.messageIdHash !== null && seen.has(`m:${keys.messageIdHash}`));
    seen.add(`c:${keys.contentHash}`);
    if (keys.messageIdHash) seen.add(`m:${keys.messageIdHash}`);
    return !taken;
  });
  const rows = messages.filter((_, i) => fresh[i]);
  if (rows.length === 0) return messages.map(() => null);
  // One JSON document rather than ten bind parameters a message: building a large parameter
  // list costs more than the statement.
  const document = JSON.stringify(
    rows.map(({ keys, facts }) => ({
      message_id: keys.messageId,
      message_id_hash: keys.messageIdHash,
      content_hash: keys.contentHash,
      mailbox: facts.mailbox ?? null,
      uid_validity: facts.uidValidity ?? null,
      uid: facts.uid ?? null,
      size: facts.size,
      from_address: facts.fromAddress,
      from_name: facts.fromName?.slice(0, 500) ?? null,
      subject: facts.subject?.slice(0, 2000) ?? null,
    })),
  );
  const inserted = await queryRows<{ id: string; content_hash: string }>(
    tx,
    sql`insert into inbound_messages (message_id, message_id_hash, content_hash, mailbox, uid_validity, uid, size, from_address, from_name, subject)
      select r.message_id, r.message_id_hash, r.content_hash, r.mailbox, r.uid_validity, r.uid, r.size, r.from_address, r.from_name, r.subject
      from json_to_recordset(${document}::json)
        as r(message_id text, message_id_hash text, content_hash text, mailbox text, uid_validity text, uid integer, size integer, from_address text, from_name text, subject text)
      on conflict do nothing
      returning id, content_hash`,
  );
  const ids = new Map(inserted.map((row) => [row.content_hash, row.id]));
  return messages.map(({ keys }, i) => (fresh[i] ? (ids.get(keys.contentHash) ?? null) : null));
}

export interface ClaimOutcome {
  classification: string;
  action: string;
  folder: string;
  reason: string;
  senderVerified: boolean;
  authentication: Record<string, unknown> | null;
  requestId: string | null;
  processedAt: Date;
}

/** Completes a batch of claims: every claimed row brought up to date in one statement (a JSON document of outcomes). */
export async function completeClaims(tx: Executor, claims: readonly { id: string; outcome: ClaimOutcome }[]): Promise<void> {
  if (claims.length === 0) return;
  const document = JSON.stringify(
    claims.map(({ id, outcome }) => ({
      id,
      classification: outcome.classification,
      action: outcome.action,
      folder: outcome.folder,
      reason: outcome.reason,
      sender_verified: outcome.senderVerified,
      authentication: outcome.authentication,
      request_id: outcome.requestId,
      processed_at: outcome.processedAt.toISOString(),
    })),
  );
  await tx.execute(sql`update inbound_messages as m
    set classification = r.classification, action = r.action, folder = r.folder, reason = r.reason, sender_verified = r.sender_verified,
      authentication = r.authentication, request_id = r.request_id, processed_at = r.processed_at
    from json_to_recordset(${document}::json)
      as r(id uuid, classification text, action text, folder text, reason text, sender_verified boolean, authentication jsonb, request_id uuid, processed_at timestamptz)
    where m.id = r.id`);
}

/** The row a message's keys already name (its first processing), if any. */
export async function processedRecord(db: Executor, keys: MessageKeys): Promise<InboundMessageRow | null> {
  const match = keys.messageIdHash ? or(eq(inboundMessages.contentHash, keys.contentHash), eq(inboundMessages.messageIdHash, keys.messageIdHash)) : eq(inboundMessages.contentHash, keys.contentHash);
  const [row] = await db.select().from(inboundMessages).where(match).orderBy(asc(inboundMessages.createdAt)).limit(1);
  return row ?? null;
}

/**
 * One reply slot an hour for each of several senders (one statement): the addresses that got their slot.
 * An address given twice is tried once — a second reply in the same hour gets no slot anyway.
 */
export async function takeReplySlots(tx: Executor, emails: readonly string[], now: Date, windowMs = 60 * 60 * 1000): Promise<Set<string>> {
  const byKey = new Map(emails.map((email) => [`intake:reply:${digest(email.toLowerCase())}`, email]));
  if (byKey.size === 0) return new Set();
  const cutoff = new Date(now.getTime() - windowMs).toISOString();
  const document = JSON.stringify([...byKey.keys()]);
  const taken = await queryRows<{ key: string }>(
    tx,
    sql`insert into portal_meta (key, value, updated_at)
      select k.key, jsonb_build_object('at', ${now.toISOString()}::text), ${now.toISOString()}::timestamptz
      from json_array_elements_text(${document}::json) as k(key)
      on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
        where (portal_meta.value ->> 'at')::timestamptz <= ${cutoff}::timestamptz
      returning key`,
  );
  return new Set(taken.map((row) => byKey.get(row.key)!));
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
