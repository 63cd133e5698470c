import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, AuditInput } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { checkImport, type ImportCheck, type LicenceSummary, type RowReport } from "./check-import";
import type { ImportRow } from "./columns";
import { submitNewUsers } from "./submit-new-users";

/**
 * UCP-BULK-1: many new-user requests from one file. Every row is checked (checkImport: the
 * single form's schema, duplicates in the file and against accounts and open requests,
 * licences for the batch) and reported on; with `dryRun` nothing else happens. Otherwise, in
 * ONE transaction holding the organisation's request lock (the one submitRequest takes), the
 * rows are checked again and the valid ones become new-user requests, each audited as
 * request.submitted, plus one request.bulk_submitted event listing them — all or nothing.
 *
 * The audit chain's lock is taken only at the end, for a few multi-row inserts, so a large file
 * does not hold up every other audited action in the portal while it is written.
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
   * finds a different set valid, nothing is submitted and `changed` is set, so no request goes
   * in on a report the person did not see.
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

/** Audit events per recordAudit call: one multi-row insert well inside the bind-parameter limit. */
const AUDIT_CHUNK = 2_000;

export async function importUsers(options: ImportUsersOptions): Promise<ImportResult> {
  const { db, actor, clock, config, organisationId, rows } = options;
  if (options.dryRun) {
    return result(await checkImport({ db, actor, clock, config, organisationId, rows }), { dryRun: true });
  }

  return db.transaction(async (tx) => {
    // The lock submitRequest takes for each request, held for the whole batch: no request for
    // this organisation goes in between the checks below and the commit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`requests:${organisationId}`}, 0))`);
    const check = await checkImport({ db: tx, actor, clock, config, organisationId, rows });
    const valid = check.rows.filter((r) => r.status === "ok");
    if (options.expectValidRows && !sameRows(valid.map((r) => r.row), options.expectValidRows)) return result(check, { changed: true });
    if (valid.length === 0) return result(check, {});

    const { made, audit } = await submitNewUsers({
      tx,
      actor,
      clock,
      config,
      organisation: check.organisation,
      requester: check.requester,
      licence: check.licence,
      rows: valid.map((r) => ({ row: r.row, details: check.details.get(r.row)! })),
    });
    const byRow = new Map(made.map((m) => [m.row, m]));
    for (const report of check.rows) {
      const request = byRow.get(report.row);
      if (request) Object.assign(report, { reference: request.reference, requestId: request.requestId });
    }

    const events: AuditInput[] = [
      ...audit,
      {
        action: "request.bulk_submitted",
        organisationId,
        detail: {
          source: { fileName: options.source?.fileName ?? null, format: options.source?.format ?? null },
          rows: check.summary.rows,
          submitted: made.length,
          errorRows: check.rows.filter((r) => r.status === "error").map((r) => r.row),
          requests: made.map(({ row, reference, requestId }) => ({ row, reference, requestId })),
        },
      },
    ];
    let batchId: string | null = null;
    for (let i = 0; i < events.length; i += AUDIT_CHUNK) {
      const written = await recordAudit(tx, actor, clock, events.slice(i, i + AUDIT_CHUNK));
      batchId = written.at(-1)?.id ?? batchId;
    }
    return result(check, { submitted: true, batchId });
  });
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
