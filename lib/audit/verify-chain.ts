import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "../db/types";
import { GENESIS_HASH, canonicalEncodingOfStored, type StoredAuditText } from "./canonical";

/** A chain head recorded outside the table (lib/audit/checkpoint.ts): event `seq` had hash `hash` at `at`. */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
  /** When it was recorded (unknown for one typed in from an email's SEQ:HASH). */
  at: Date | null;
}

export type ChainVerdict =
  | { ok: true; events: number; headSeq: number; headHash: string; checkpoint: ChainCheckpoint | null }
  | { ok: false; events: number; firstBad: { seq: number; id: string | null; problem: string }; checkpoint: ChainCheckpoint | null };

export interface VerifyOptions {
  /** Rows fetched from the cursor at a time (default 20,000: a few MB in memory). */
  batchSize?: number;
  /**
   * The last checkpoint: the event it names must still carry its hash, and still exist. A
   * chain rewritten from some event onwards with every hash recomputed is self-consistent;
   * only a record of the head kept outside the database shows it was rewritten.
   */
  checkpoint?: ChainCheckpoint | null;
}

interface Row extends StoredAuditText, Record<string, unknown> {
  hash: string;
}

/**
 * Walks the audit chain in order and names the first event that does not match: a removed
 * row (a gap in the sequence), an inserted or reordered row (the link to the previous hash), a
 * changed row (its hash), and — given a checkpoint — a rewritten chain (the checkpointed
 * event's hash differs) or a shortened one (the checkpointed event is gone).
 *
 * Speed (issue 4, bench/queue): the rows come from a server-side cursor in large batches, each
 * column as text (no Date or jsonb parsing by the driver, the time as epoch milliseconds), and
 * are encoded by canonicalEncodingOfStored, which writes the canonical JSON in its fixed key
 * order. Works on any Executor: inside a transaction the cursor lives in a savepoint.
 */
export async function verifyAuditChain(db: Executor, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 20_000));
  const checkpoint = options.checkpoint ?? null;
  return db.transaction(async (tx) => {
    // A cursor name per call: several verifications may share a connection's transaction.
    const cursor = sql.identifier(`audit_verify_${Math.random().toString(36).slice(2, 10)}`);
    await tx.execute(sql`declare ${cursor} no scroll cursor for
      select seq::text as "seq", id::text as "id",
        floor(extract(epoch from occurred_at) * 1000)::bigint::text as "occurredAtMs",
        action, channel, actor_id::text as "actorId", actor_label as "actorLabel",
        organisation_id::text as "organisationId", subject_account_id::text as "subjectAccountId",
        request_id::text as "requestId", client_address as "clientAddress", user_agent as "userAgent",
        detail::text as "detail", prev_hash as "prevHash", hash
      from audit_events order by audit_events.seq`);
    try {
      return await walk(tx, cursor, batchSize, checkpoint);
    } finally {
      await tx.execute(sql`close ${cursor}`);
    }
  });
}

async function walk(tx: Executor, cursor: ReturnType<typeof sql.identifier>, batchSize: number, checkpoint: ChainCheckpoint | null): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const fail = (seq: number, id: string | null, problem: string): ChainVerdict => ({ ok: false, events: count, firstBad: { seq, id, problem }, checkpoint });
  for (;;) {
    // One FETCH at a time: node-postgres deprecates queueing a query on a busy client (pg 9 refuses it).
    const batch = await queryRows<Row>(tx, sql`fetch forward ${sql.raw(String(batchSize))} from ${cursor}`);
    for (const row of batch) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return fail(seq, row.id, `sequence jumps from ${expectedSeq - 1} to ${seq}: an event was removed`);
      if (row.prevHash !== prevHash) return fail(seq, row.id, "does not link to the event before it: an event was inserted, removed or reordered");
      if (createHash("sha256").update(canonicalEncodingOfStored(row)).digest("hex") !== row.hash) {
        return fail(seq, row.id, "its contents do not match its hash: the event was altered");
      }
      if (checkpoint && seq === checkpoint.seq && row.hash !== checkpoint.hash) {
        return fail(seq, row.id, `its hash differs from the checkpoint${recorded(checkpoint)}: the log was rewritten up to this event`);
      }
      prevHash = row.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (batch.length < batchSize) break;
  }
  if (checkpoint && count < checkpoint.seq) {
    return fail(count + 1, null, `the log ends at event ${count}, but the checkpoint${recorded(checkpoint)} recorded event ${checkpoint.seq}: events were removed from the end`);
  }
  return { ok: true, events: count, headSeq: count, headHash: prevHash, checkpoint };
}

const recorded = (checkpoint: ChainCheckpoint) => (checkpoint.at ? ` of ${checkpoint.at.toISOString()}` : "");
