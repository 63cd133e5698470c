import { and, eq, lte, lt, max, or, sql, type SQL } from "drizzle-orm";
import type { Clock } from "../clock";
import { auditEvents } from "../db/schema/audit";
import type { Executor } from "../db/types";
import { auditRowsToCsv } from "./audit-csv";
import type { Actor } from "./events";
import { recordAudit } from "./record-audit";
import { auditWhere, selectAuditRows, type AuditRow } from "./search-audit";
import { auditFiltersSchema, filterTerms, type AuditFilters } from "./search-filters";

/**
 * AUP-5.2f: every export and print of the audit log is itself logged — who (the actor), what
 * (the filters and how many events) and when — in the same transaction that read the events,
 * so the record and the read commit together: if the record cannot be written, the caller gets
 * an error instead of the file.
 */

export const EXPORT_CHUNK_SIZE = 2_000;
/** A printed search shows at most this many events; the CSV export has no limit. */
export const PRINT_LIMIT = 500;

export interface ExportAuditOptions {
  /** The database (or a transaction, in which the export runs as a savepoint). */
  db: Executor;
  actor: Actor;
  clock: Clock;
  filters: AuditFilters;
  /** Receives the file a chunk at a time (a temporary file, a response stream, a test's array). */
  write: (chunk: string) => void | Promise<void>;
  chunkSize?: number;
}

export interface ExportAuditResult {
  rowCount: number;
  /** The sequence number of the audit.exported event. */
  auditSeq: number;
}

/**
 * Writes every event matching the filters as CSV, newest first, reading a chunk at a time
 * (keyset on time and sequence number, so a million events never sit in memory at once), then
 * records audit.exported with the filters and the row count. Events recorded after the export
 * started are left out, so the count is the file's.
 */
export async function exportAuditCsv(options: ExportAuditOptions): Promise<ExportAuditResult> {
  const { db, actor, clock, write } = options;
  const filters = auditFiltersSchema.parse(options.filters);
  const chunkSize = options.chunkSize ?? EXPORT_CHUNK_SIZE;
  return db.transaction(async (tx) => {
    let rowCount = 0;
    let first = true;
    await forEachChunk(tx, filters, chunkSize, async (rows) => {
      rowCount += rows.length;
      await write(auditRowsToCsv(rows, { first }));
      first = false;
    });
    if (first) await write(auditRowsToCsv([], { first: true }));
    const [event] = await recordAudit(tx, actor, clock, {
      action: "audit.exported",
      detail: { format: "csv", filters: filterTerms(filters), rowCount },
    });
    return { rowCount, auditSeq: event!.seq };
  });
}

export interface PrintAuditResult {
  rows: AuditRow[];
  /** More events matched than a printout shows (PRINT_LIMIT). */
  truncated: boolean;
  auditSeq: number;
}

/** The events a print view shows (newest first, up to `limit`), recording audit.printed as it reads them. */
export async function printAudit(options: Omit<ExportAuditOptions, "write" | "chunkSize"> & { limit?: number }): Promise<PrintAuditResult> {
  const { db, actor, clock } = options;
  const filters = auditFiltersSchema.parse(options.filters);
  const limit = options.limit ?? PRINT_LIMIT;
  return db.transaction(async (tx) => {
    const resolved = await auditWhere(tx, filters);
    const found = resolved.none ? [] : await selectAuditRows(tx, resolved.where).limit(limit + 1);
    const rows = found.slice(0, limit);
    const truncated = found.length > limit;
    const [event] = await recordAudit(tx, actor, clock, {
      action: "audit.printed",
      detail: { filters: filterTerms(filters), rowCount: rows.length, truncated },
    });
    return { rows, truncated, auditSeq: event!.seq };
  });
}

/**
 * Calls `each` with the matching events a chunk at a time, newest first. Each chunk starts
 * just after the last one's final event (compared with the stored timestamp itself, read back
 * by sequence number, so no precision is lost in JavaScript's milliseconds).
 */
async function forEachChunk(tx: Executor, filters: AuditFilters, chunkSize: number, each: (rows: AuditRow[]) => Promise<void>): Promise<void> {
  const resolved = await auditWhere(tx, filters);
  if (resolved.none) return;
  const [head] = await tx.select({ seq: max(auditEvents.seq) }).from(auditEvents);
  const headSeq = Number(head?.seq ?? 0);
  let last: number | undefined;
  for (;;) {
    const conditions: (SQL | undefined)[] = [resolved.where, lte(auditEvents.seq, headSeq)];
    if (last !== undefined) {
      const lastAt = sql`(select ${auditEvents.occurredAt} from ${auditEvents} where ${auditEvents.seq} = ${last})`;
      conditions.push(lte(auditEvents.occurredAt, lastAt), or(lt(auditEvents.occurredAt, lastAt), and(eq(auditEvents.occurredAt, lastAt), lt(auditEvents.seq, last))));
    }
    const rows = await selectAuditRows(tx, and(...conditions)).limit(chunkSize);
    if (rows.length === 0) return;
    await each(rows);
    if (rows.length < chunkSize) return;
    last = rows.at(-1)!.seq;
  }
}
