import { randomUUID } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Clock } from "../clock";
import { auditEvents } from "../db/schema/audit";
import { arrayParamsFor, type ArrayParams } from "../db/array-param";
import { sendAll, type BatchStatement } from "../db/pipeline";
import type { Executor } from "../db/types";
import { GENESIS_HASH, hashEvent, stableJson, type HashedAuditFields } from "./canonical";
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
 * statement (the sweeps' insert, see linkedInsert). Returns how many.
 */
export async function recordAuditEntries(tx: Executor, clock: Clock, entries: readonly { actor: Actor; input: AuditInput }[]): Promise<number> {
  if (entries.length === 0) return 0;
  const list = entries.map((entry) => ({ actor: entry.actor, input: auditInputSchema.parse(entry.input) }));
  const head = await lockChainHead(tx);
  const occurredAt = clock.now();
  const rows = list.flatMap((entry) => linkEvents(head, entry.actor, occurredAt, [entry.input]));
  await linkedInsert(tx, arrayParamsFor(tx), occurredAt, rows)();
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

/** An event's row, linked into the chain. */
type LinkedEvent = HashedAuditFields & { hash: string; detailJson: string };

/**
 * Builds the events' rows in order, each hashed over its canonical encoding and the previous
 * hash, and moves `head` on to the last of them.
 */
function linkEvents(head: ChainHead, actor: Actor, occurredAt: Date, list: z.output<typeof auditInputSchema>[]): LinkedEvent[] {
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
    // The detail's canonical JSON is hashed and also stored (jsonb keeps the value, not the key order).
    const detailJson = stableJson(input.detail);
    const hash = hashEvent(fields, detailJson);
    head.seq = fields.seq;
    head.hash = hash;
    // Added after hashing (the encoder takes exactly the hashed fields), without copying the rest.
    return Object.assign(fields, { hash, detailJson });
  });
}

/**
 * Events a statement in recordAuditBatch. Small enough that hashing the next batch in Node
 * overlaps the database inserting this one; large enough that round trips do not count. The
 * first batch is smaller, so the database starts working at once.
 */
const BATCH_ROWS = 2_500;
const FIRST_BATCH_ROWS = 500;

/** The events in batches of FIRST_BATCH_ROWS, then BATCH_ROWS. */
function* batchesOf<T>(list: readonly T[]): Generator<T[]> {
  for (let i = 0; i < list.length; ) {
    const size = i === 0 ? FIRST_BATCH_ROWS : BATCH_ROWS;
    yield list.slice(i, i + size);
    i += size;
  }
}

/**
 * recordAudit for thousands of events (the jobs' sweeps): the same validation, lock and hash
 * chain, with the head read once. Each batch of rows goes to the database as one array a column
 * (linkedInsert) rather than 15 bind parameters a row, and is inserted while Node hashes the
 * next batch.
 * Every event is validated before any is written. Returns how many events were written.
 */
export async function recordAuditBatch(tx: Executor, actor: Actor, clock: Clock, inputs: readonly AuditInput[]): Promise<number> {
  const list = inputs.map((input) => auditInputSchema.parse(input));
  if (list.length === 0) return 0;
  const head = await lockChainHead(tx);
  await sendAll(insertStatements(tx, head, actor, clock.now(), batchesOf(list)));
  return list.length;
}

export type { BatchStatement };

/** recordAuditBatch in two steps, for a writer whose statements share one pipeline with others'. */
export interface AuditBatchWriter {
  /**
   * The insert statements of these events, a batch each, in chain order. Each batch is
   * validated, linked and encoded only when its turn comes, so Node prepares it while the
   * statement before runs; an invalid event throws zod's error then, after earlier batches
   * were sent, so the caller's transaction must roll back on it (runJob's does). Send them
   * all, in order, on the transaction the writer was opened on.
   */
  statementsOf(inputs: readonly AuditInput[]): Iterable<BatchStatement>;
}

/**
 * Takes the chain's lock and reads its head now (one round trip, before the caller starts
 * other statements), so that the events' statements can later be made while others run.
 */
export async function openAuditBatch(tx: Executor, actor: Actor, clock: Clock): Promise<AuditBatchWriter> {
  const head = await lockChainHead(tx);
  const occurredAt = clock.now();
  return {
    *statementsOf(inputs) {
      const parsed = (function* () {
        for (const batch of batchesOf(inputs)) yield batch.map((input) => auditInputSchema.parse(input));
      })();
      yield* insertStatements(tx, head, actor, occurredAt, parsed);
    },
  };
}

/** The insert of each batch of valid events, linked to the chain (moving `head` on) when it is made. */
function* insertStatements(
  tx: Executor,
  head: ChainHead,
  actor: Actor,
  occurredAt: Date,
  batches: Iterable<z.output<typeof auditInputSchema>[]>,
): Generator<BatchStatement> {
  const arrays = arrayParamsFor(tx);
  for (const batch of batches) {
    // Linked and encoded now, while the statement before runs; sent when the pipeline starts it.
    yield linkedInsert(tx, arrays, occurredAt, linkEvents(head, actor, occurredAt, batch));
  }
}

/**
 * The insert of linked events, made now and sent when called: one array a column, unnested
 * together (see ArrayParams) — the actor's columns too, so one statement takes the events of
 * several actors (the intake's) as well as one actor's thousands (the sweeps'); detail as JSON
 * text, cast to jsonb.
 */
function linkedInsert(tx: Executor, arrays: ArrayParams, occurredAt: Date, rows: readonly LinkedEvent[]): BatchStatement {
  const column = {
    seq: arrays.int8(rows.map((r) => r.seq)),
    id: arrays.uuid(rows.map((r) => r.id)),
    action: arrays.text(rows.map((r) => r.action)),
    channel: arrays.text(rows.map((r) => r.channel)),
    actorId: arrays.uuid(rows.map((r) => r.actorId)),
    actorLabel: arrays.text(rows.map((r) => r.actorLabel)),
    organisationId: arrays.uuid(rows.map((r) => r.organisationId)),
    subjectAccountId: arrays.uuid(rows.map((r) => r.subjectAccountId)),
    requestId: arrays.uuid(rows.map((r) => r.requestId)),
    clientAddress: arrays.text(rows.map((r) => r.clientAddress)),
    userAgent: arrays.text(rows.map((r) => r.userAgent)),
    detail: arrays.text(rows.map((r) => r.detailJson)),
    prevHash: arrays.text(rows.map((r) => r.prevHash)),
    hash: arrays.text(rows.map((r) => r.hash)),
  };
  return () =>
    tx.execute(sql`insert into audit_events (seq, id, occurred_at, action, channel, actor_id, actor_label, organisation_id, subject_account_id, request_id, client_address, user_agent, detail, prev_hash, hash)
      select r.seq, r.id, ${occurredAt.toISOString()}::timestamptz, r.action, r.channel, r.actor_id, r.actor_label, r.organisation_id, r.subject_account_id, r.request_id,
        r.client_address, r.user_agent, r.detail::jsonb, r.prev_hash, r.hash
      from unnest(${column.seq}::bigint[], ${column.id}::uuid[], ${column.action}::text[], ${column.channel}::text[], ${column.actorId}::uuid[], ${column.actorLabel}::text[],
        ${column.organisationId}::uuid[], ${column.subjectAccountId}::uuid[], ${column.requestId}::uuid[], ${column.clientAddress}::text[], ${column.userAgent}::text[],
        ${column.detail}::text[], ${column.prevHash}::text[], ${column.hash}::text[])
        as r(seq, id, action, channel, actor_id, actor_label, organisation_id, subject_account_id, request_id, client_address, user_agent, detail, prev_hash, hash)`);
}

