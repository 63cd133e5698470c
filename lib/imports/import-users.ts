import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { AppError, isAppError } from "../errors";
import { submitRequest } from "../requests/submit-request";
import { checkImport, type ImportCheck, type LicenceSummary, type RowReport } from "./check-import";
import type { ImportRow } from "./columns";

/**
 * UCP-BULK-1: many new-user requests from one file. Every row is checked (checkImport) and
 * reported on; with `dryRun` nothing else happens. Otherwise the valid rows become new-user
 * requests in ONE transaction — each through `submitRequest`, the very function the single
 * form calls, so every rule, the SLA due time, the acknowledgement and the audit event are the
 * same — plus one `request.bulk_submitted` audit event listing them. All or nothing: if any
 * row is refused at that point (someone else asked for the same person a moment ago, the
 * licences ran out), the transaction rolls back, no request is made, and the report says which
 * row and why.
 */

export interface ImportUsersOptions {
  db: Executor;
  /** The Lead correspondent (or another authoriser) asking, and through which channel. */
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  organisationId: string;
  rows: ImportRow[];
  dryRun: boolean;
  /**
   * The rows the person saw as valid and confirmed (the web's two steps). If the check now
   * finds a different set valid, nothing is submitted and `changed` is set, so nobody's
   * request goes in on a report they did not see.
   */
  expectValidRows?: number[];
  /** Where the rows came from, for the audit event. */
  source?: { fileName?: string | null; format?: string | null };
}

export interface ImportResult {
  dryRun: boolean;
  /** True when the valid rows became requests. */
  submitted: boolean;
  /** The request.bulk_submitted audit event's id: the batch's confirmation page reads it. */
  batchId: string | null;
  /** The valid rows differed from `expectValidRows`: nothing was submitted. */
  changed: boolean;
  organisation: ImportCheck["organisation"];
  rows: RowReport[];
  summary: ImportCheck["summary"];
  licence: LicenceSummary;
  /** The references of the requests made, in row order. */
  references: string[];
}

/** Thrown inside the transaction to roll it back and report the row that was refused. */
class RowRefused extends Error {
  constructor(
    readonly row: number,
    readonly error: AppError,
  ) {
    super(`row ${row} refused: ${error.message}`);
  }
}

export async function importUsers(options: ImportUsersOptions): Promise<ImportResult> {
  const { db, actor, clock, config, organisationId, rows } = options;
  if (options.dryRun) {
    const check = await checkImport({ db, actor, clock, config, organisationId, rows });
    return result(check, { dryRun: true });
  }

  // The check made inside the transaction, for the report when it rolls back.
  const last: { check: ImportCheck | null } = { check: null };
  try {
    return await db.transaction(async (tx) => {
      // The lock submitRequest takes for each request, held for the whole batch: the checks
      // below stay true until it commits (advisory locks are re-entrant within a session).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`requests:${organisationId}`}, 0))`);
      const check = await checkImport({ db: tx, actor, clock, config, organisationId, rows });
      last.check = check;
      const valid = check.rows.filter((r) => r.status === "ok").map((r) => r.row);
      if (options.expectValidRows && !sameRows(valid, options.expectValidRows)) return result(check, { changed: true });
      if (valid.length === 0) return result(check, {});

      const made: { row: number; reference: string; requestId: string }[] = [];
      for (const report of check.rows) {
        const input = check.inputs.get(report.row);
        if (report.status !== "ok" || !input) continue;
        try {
          const submitted = await submitRequest({ db: tx, actor, clock, config, input });
          report.reference = submitted.reference;
          report.requestId = submitted.requestId;
          made.push({ row: report.row, reference: submitted.reference, requestId: submitted.requestId });
        } catch (error) {
          if (isAppError(error)) throw new RowRefused(report.row, error);
          throw error;
        }
      }
      const [event] = await recordAudit(tx, actor, clock, {
        action: "request.bulk_submitted",
        organisationId,
        detail: {
          source: { fileName: options.source?.fileName ?? null, format: options.source?.format ?? null },
          rows: check.summary.rows,
          submitted: made.length,
          errorRows: check.rows.filter((r) => r.status === "error").map((r) => r.row),
          requests: made,
        },
      });
      return result(check, { submitted: true, batchId: event?.id ?? null });
    });
  } catch (error) {
    if (!(error instanceof RowRefused) || !last.check) throw error;
    // Rolled back: report every row as checked, the refused one with submitRequest's reason.
    const check = last.check;
    for (const report of check.rows) {
      delete report.reference;
      delete report.requestId;
      if (report.row === error.row) {
        const fields = Object.entries(error.error.fieldErrors);
        const messages = fields.length ? fields.map(([, message]) => message) : [error.error.userMessage];
        for (const message of messages) report.errors.push({ field: "row", column: null, message });
        report.status = "error";
      }
    }
    const ok = check.rows.filter((r) => r.status === "ok").length;
    return result({ ...check, summary: { rows: check.rows.length, ok, errors: check.rows.length - ok } }, {});
  }
}

function result(check: ImportCheck, flags: { dryRun?: boolean; submitted?: boolean; batchId?: string | null; changed?: boolean }): ImportResult {
  return {
    dryRun: flags.dryRun ?? false,
    submitted: flags.submitted ?? false,
    batchId: flags.batchId ?? null,
    changed: flags.changed ?? false,
    organisation: check.organisation,
    rows: check.rows,
    summary: check.summary,
    licence: check.licence,
    references: check.rows.flatMap((r) => (r.reference ? [r.reference] : [])),
  };
}

function sameRows(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((row) => set.has(row));
}
