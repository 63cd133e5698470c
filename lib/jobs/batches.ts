/**
 * Multi-row writes for the jobs. PostgreSQL takes at most 65,535 parameters a statement, so a
 * sweep of thousands of rows is written many rows a statement — never a row a trip. The audit
 * and outbox batches live with their single-row versions (one rule each); they are re-exported
 * here for the job definitions.
 */
import type { BatchStatement } from "../audit/record-audit";
import { sendAll } from "../db/pipeline";

export { openAuditBatch, recordAuditBatch, type BatchStatement } from "../audit/record-audit";
export { enqueueMessages, messageStatements } from "../mail/enqueue-message";

/** Rows per statement where a statement binds a parameter a value (job_notices, recipients). */
export const ROWS_PER_STATEMENT = 2_000;

export function chunked<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Sends the statements of several batch writers (messageStatements, openAuditBatch's) on the
 * caller's transaction through one pipeline, one from each writer in turn (each writer's own
 * stay in order), so Node makes every statement — validation, hashing, encoding — while the
 * database runs the one before, and no writer's first batch waits for another's last. A
 * statement that fails stops the rest, and so does an error thrown while one is made; either
 * is rethrown once the statement in flight has answered.
 */
export function writeInterleaved(...writers: Iterable<BatchStatement>[]): Promise<void> {
  return sendAll(inTurn(writers));
}

/** One statement from each writer in turn, until all are done. */
function* inTurn(writers: Iterable<BatchStatement>[]): Generator<BatchStatement> {
  let open = writers.map((writer) => writer[Symbol.iterator]());
  while (open.length > 0) {
    const still: Iterator<BatchStatement>[] = [];
    for (const writer of open) {
      const item = writer.next();
      if (item.done) continue;
      still.push(writer);
      yield item.value;
    }
    open = still;
  }
}
