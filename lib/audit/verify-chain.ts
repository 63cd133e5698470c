import { asc, gt } from "drizzle-orm";
import { auditEvents } from "../db/schema/audit";
import type { Executor } from "../db/types";
import { GENESIS_HASH, hashEvent } from "./canonical";

export type ChainVerdict =
  | { ok: true; events: number; headSeq: number; headHash: string }
  | { ok: false; events: number; firstBad: { seq: number; id: string; problem: string } };

/**
 * Walks the audit chain in order and names the first event that does not match: a changed
 * row (its hash), a removed row (a gap in the sequence), an inserted or reordered row (the
 * link to the previous hash).
 */
export async function verifyAuditChain(db: Executor, options: { batchSize?: number } = {}): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? 5000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let lastSeq = 0;
  for (;;) {
    const batch = await db.select().from(auditEvents).where(gt(auditEvents.seq, lastSeq)).orderBy(asc(auditEvents.seq)).limit(batchSize);
    if (batch.length === 0) break;
    for (const row of batch) {
      const { hash, ...fields } = row;
      if (row.seq !== expectedSeq) {
        return { ok: false, events: count, firstBad: { seq: row.seq, id: row.id, problem: `sequence jumps from ${expectedSeq - 1} to ${row.seq}: an event was removed` } };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, events: count, firstBad: { seq: row.seq, id: row.id, problem: "does not link to the event before it: an event was inserted, removed or reordered" } };
      }
      if (hashEvent(fields) !== hash) {
        return { ok: false, events: count, firstBad: { seq: row.seq, id: row.id, problem: "its contents do not match its hash: the event was altered" } };
      }
      prevHash = hash;
      expectedSeq += 1;
      count += 1;
      lastSeq = row.seq;
    }
  }
  return { ok: true, events: count, headSeq: lastSeq, headHash: prevHash };
}
