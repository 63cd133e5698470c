import { sql } from "drizzle-orm";
import type { Pool } from "pg";
import { queryRows, type Executor } from "../db/types";
import { GENESIS_HASH } from "./canonical";
import { ChainWalk, linkProblem, removedProblem, shortenedProblem, type BadEvent, type ChainCheckpoint, type StoredAuditRow, type WalkResult } from "./chain-walk";
import { walkByCopy } from "./copy-walk";

export type { ChainCheckpoint } from "./chain-walk";

export type ChainVerdict =
  | { ok: true; events: number; headSeq: number; headHash: string; checkpoint: ChainCheckpoint | null }
  | { ok: false; events: number; firstBad: BadEvent; checkpoint: ChainCheckpoint | null };

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

/**
 * Walks the audit chain in order and names the first event that does not match: a removed
 * row (a gap in the sequence), an inserted or reordered row (the link to the previous hash), a
 * changed row (its hash), and — given a checkpoint — a rewritten chain (the checkpointed
 * event's hash differs) or a shortened one (the checkpointed event is gone).
 *
 * Speed (issue 4, bench/queue): on a PostgreSQL server (a node-postgres pool) the rows come
 * from one `COPY … TO STDOUT` (lib/audit/copy-walk.ts), read in a REPEATABLE READ
 * transaction so the chain is seen as of one moment; elsewhere (PGlite, or inside a caller's
 * transaction) from a server-side cursor in large batches, each column as text. Either way they
 * are encoded by canonicalEncodingOfStored, which writes the canonical JSON in its fixed key
 * order, and checked by ChainWalk (lib/audit/chain-walk.ts). Splitting the chain over worker
 * threads is lib/audit/verify-parallel.ts.
 */
export async function verifyAuditChain(db: Executor, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const checkpoint = options.checkpoint ?? null;
  const walk = new ChainWalk({ seq: 1, prevHash: GENESIS_HASH }, checkpoint);
  const pool = poolOf(db);
  if (pool) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query("begin isolation level repeatable read read only");
      await walkByCopy(client, null, walk);
      await client.query("commit");
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A client that failed mid-COPY may be mid-protocol: it is dropped, not reused.
      client.release(broken);
    }
  } else {
    await walkByCursor(db, Math.max(1, Math.floor(options.batchSize ?? 20_000)), walk);
  }
  return verdictOf([walk.result], checkpoint);
}

/**
 * The node-postgres pool behind a database opened with a URL (drizzle's $client); none for
 * PGlite, Vercel Postgres or a transaction, which keep the cursor.
 */
export function poolOf(db: Executor): Pool | null {
  const client = (db as { $client?: unknown }).$client as Partial<Pool> | undefined;
  return client && typeof client.connect === "function" && typeof client.totalCount === "number" && typeof client.options === "object" ? (client as Pool) : null;
}

async function walkByCursor(db: Executor, batchSize: number, walk: ChainWalk): Promise<void> {
  await db.transaction(async (tx) => {
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
      for (;;) {
        // One FETCH at a time: node-postgres deprecates queueing a query on a busy client (pg 9 refuses it).
        const batch = await queryRows<StoredAuditRow & Record<string, unknown>>(tx, sql`fetch forward ${sql.raw(String(batchSize))} from ${cursor}`);
        for (const row of batch) if (!walk.push(row)) return;
        if (batch.length < batchSize) return;
      }
    } finally {
      await tx.execute(sql`close ${cursor}`);
    }
  });
}

/**
 * The verdict from the walks over consecutive stretches of the chain (one for a sequential
 * walk). Each stretch's first event must carry the sequence number and link that follow the
 * stretch before it — which is how a range of a parallel verification is joined to the one
 * before — and the first failure in chain order is the one named, with the count before it.
 */
export function verdictOf(stretches: WalkResult[], checkpoint: ChainCheckpoint | null): ChainVerdict {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const fail = (firstBad: BadEvent, events: number): ChainVerdict => ({ ok: false, events, firstBad, checkpoint });
  for (const stretch of stretches) {
    const first = stretch.first;
    if (first === null) continue;
    if (first.seq !== expectedSeq) return fail({ seq: first.seq, id: first.id, problem: removedProblem(expectedSeq - 1, first.seq) }, count);
    if (first.prevHash !== prevHash) return fail({ seq: first.seq, id: first.id, problem: linkProblem }, count);
    if (stretch.failure) return fail(stretch.failure, count + stretch.count);
    if (stretch.last === null) continue;
    count += stretch.count;
    expectedSeq = stretch.last.seq + 1;
    prevHash = stretch.last.hash;
  }
  if (checkpoint && count < checkpoint.seq) return fail({ seq: count + 1, id: null, problem: shortenedProblem(count, checkpoint) }, count);
  return { ok: true, events: count, headSeq: count, headHash: prevHash, checkpoint };
}
