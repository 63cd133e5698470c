/**
 * Multi-row writes for the jobs. PostgreSQL takes at most 65,535 parameters a statement, so a
 * sweep of thousands of rows is written many rows a statement — never a row a trip. The audit
 * and outbox batches live with their single-row versions (one rule each); they are re-exported
 * here for the job definitions.
 */
export { recordAuditBatch } from "../audit/record-audit";
export { enqueueMessages } from "../mail/enqueue-message";

/** Rows per statement where a statement binds a parameter a value (job_notices, recipients). */
export const ROWS_PER_STATEMENT = 2_000;

export function chunked<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
