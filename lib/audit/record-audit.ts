import { randomUUID } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Clock } from "../clock";
import { auditEvents } from "../db/schema/audit";
import { Pipeline } from "../db/pipeline";
import type { Executor } from "../db/types";
import { GENESIS_HASH, hashEvent, type HashedAuditFields } from "./canonical";
import { auditInputSchema, type Actor, type AuditInput } from "./events";

/** One advisory lock key serialises writers of the chain, so each event links to the one before. */
const AUDIT_CHAIN_LOCK = 74_201_001;

/**
 * Appends events to the audit chain inside the caller's transaction, so a change and its
 * record commit or roll back together. Several events go in one statement.
 */
export async function recordAudit(tx: Executor, actor: Actor, clock: Clock, inputs: AuditInput | AuditInput[]): Promise<HashedAuditFields[]> {
  const list = (Array.isArray(inputs) ? inputs : [inputs]).map((input) => auditInputSchema.parse(input));
  if (list.length === 0) return [];
  const head = await lockChainHead(tx);
  const rows = linkEvents(head, actor, clock.now(), list);
  await tx.insert(auditEvents).values(rows);
  return rows;
}

/**
 * recordAudit for events of several actors at once (the email intake's batch of messages, each
 * from its own sender): the same validation, lock and chain, in the order given, in one
 * statement whose rows go as one JSON document (as recordAuditBatch's do). Returns how many.
 */
export async function recordAuditEntries(tx: Executor, clock: Clock, entries: readonly { actor: Actor; input: AuditInput }[]): Promise<number> {
  if (entries.length === 0) return 0;
  const list = entries.map((entry) => ({ actor: entry.actor, input: auditInputSchema.parse(entry.input) }));
  const head = await lockChainHead(tx);
  const occurredAt = clock.now();
  const document = JSON.stringify(
    list.flatMap((entry) =>
      linkEvents(head, entry.actor, occurredAt, [entry.input]).map((row) => ({
        seq: row.seq,
        id: row.id,
        action: row.action,
        channel: row.channel,
        actor_id: row.actorId,
        actor_label: row.actorLabel,
        organisation_id: row.organisationId,
        subject_account_id: row.subjectAccountId,
        request_id: row.requestId,
        client_address: row.clientAddress,
        user_agent: row.userAgent,
        detail: row.detail,
        prev_hash: row.prevHash,
        hash: row.hash,
      })),
    ),
  );
  await tx.execute(sql`insert into audit_events (seq, id, occurred_at, action, channel, actor_id, actor_label, organisation_id, subject_account_id, request_id, client_address, user_agent, detail, prev_hash, hash)
    select r.seq, r.id, ${occurredAt.toISOString()}::timestamptz, r.action, r.channel, r.actor_id, r.actor_label, r.organisation_id, r.subject_account_id, r.request_id,
      r.client_address, r.user_agent, r.detail, r.prev_hash, r.hash
    from json_to_recordset(${document}::json)
      as r(seq bigint, id uuid, action text, channel text, actor_id uuid, actor_label text, organisation_id uuid, subject_account_id uuid, request_id uuid, client_address text, user_agent text, detail jsonb, prev_hash text, hash text)`);
  return list.length;
}

/** The last event of the chain: the next one links to it. */
interface ChainHead {
  seq: number;
  hash: string;
}

/** Takes the chain's lock (held until the caller's transaction ends) and reads its head. */
async function lockChainHead(tx: Executor): Promise<ChainHead> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
}

/**
 * Builds the events' rows in order, each hashed over its canonical encoding and the previous
 * hash, and moves `head` on to the last of them.
 */
function linkEvents(head: ChainHead, actor: Actor, occurredAt: Date, list: z.output<typeof auditInputSchema>[]): (HashedAuditFields & { hash: string })[] {
  return list.map((input) => {
    const fields: HashedAuditFields = {
      seq: head.seq + 1,
      id: randomUUID(),
      occurredAt,
      action: input.action,
      channel: actor.channel,
      actorId: actor.accountId,
      actorLabel: actor.label,
      organisationId: input.organisationId ?? null,
      subjectAccountId: input.subjectAccountId ?? null,
      requestId: input.requestId ?? null,
      clientAddress: actor.clientAddress ?? null,
      userAgent: actor.userAgent ?? null,
      detail: input.detail,
      prevHash: head.hash,
    };
    const hash = hashEvent(fields);
    head.seq = fields.seq;
    head.hash = hash;
    return { ...fields, hash };
  });
}

/**
 * Events a statement in recordAuditBatch. Small enough that hashing the next batch in Node
 * overlaps the database inserting this one; large enough that round trips do not count.
 */
const BATCH_ROWS = 2_500;

/**
 * recordAudit for thousands of events (the jobs' sweeps): the same validation, lock and hash
 * chain, with the head read once. Each batch of rows goes to the database as one JSON document
 * (json_to_recordset; the actor, time and channel, the same for all, as plain parameters)
 * rather than 15 bind parameters a row, and is inserted while Node hashes the next batch.
 * Returns how many events were written.
 */
export async function recordAuditBatch(tx: Executor, actor: Actor, clock: Clock, inputs: readonly AuditInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const list = inputs.map((input) => auditInputSchema.parse(input));
  const head = await lockChainHead(tx);
  const occurredAt = clock.now();
  const inserts = new Pipeline();
  for (let i = 0; i < list.length && !inserts.failed; i += BATCH_ROWS) {
    const rows = linkEvents(head, actor, occurredAt, list.slice(i, i + BATCH_ROWS));
    const document = JSON.stringify(
      rows.map((row) => ({
        seq: row.seq,
        id: row.id,
        action: row.action,
        organisation_id: row.organisationId,
        subject_account_id: row.subjectAccountId,
        request_id: row.requestId,
        detail: row.detail,
        prev_hash: row.prevHash,
        hash: row.hash,
      })),
    );
    await inserts.send(() =>
      tx.execute(sql`insert into audit_events (seq, id, occurred_at, action, channel, actor_id, actor_label, organisation_id, subject_account_id, request_id, client_address, user_agent, detail, prev_hash, hash)
        select r.seq, r.id, ${occurredAt.toISOString()}::timestamptz, r.action, ${actor.channel}, ${actor.accountId}::uuid, ${actor.label}, r.organisation_id, r.subject_account_id, r.request_id,
          ${actor.clientAddress ?? null}, ${actor.userAgent ?? null}, r.detail, r.prev_hash, r.hash
        from json_to_recordset(${document}::json)
          as r(seq bigint, id uuid, action text, organisation_id uuid, subject_account_id uuid, request_id uuid, detail jsonb, prev_hash text, hash text)`),
    );
  }
  await inserts.settle();
  return list.length;
}
