import { toCsv } from "../audit/audit-csv";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { quarterlyReport, type QuarterlyReport, type ReportAccount, type ReportOrganisation } from "./queries";
import { standingLabels } from "./rules";

export interface ExportReviewReportOptions {
  db: Executor;
  /** Operator staff; the route checks their permission before calling. */
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
}

export interface ExportedReviewReport {
  csv: string;
  /** One row per organisation. */
  rowCount: number;
  /** The sequence number of the review.report_exported event. */
  auditSeq: number;
  report: QuarterlyReport;
}

const people = (list: ReportAccount[]) => list.map((a) => `${a.fullName} <${a.email}>`).join("; ");
const isoDay = (instant: Date | null) => (instant ? instant.toISOString().slice(0, 10) : "");

/** The report's columns: counts for sorting in a spreadsheet, and who, for following up. */
export const reviewReportColumns: { header: string; value: (row: ReportOrganisation) => string | number }[] = [
  { header: "Organisation", value: (r) => r.name },
  { header: "ODS code", value: (r) => r.odsCode },
  { header: "Organisation status", value: (r) => r.status },
  { header: "Accounts not suspended", value: (r) => r.openAccounts },
  { header: "No sign-in in 30 days", value: (r) => r.idle.length },
  { header: "No sign-in in 30 days: accounts", value: (r) => people(r.idle) },
  { header: "No security role", value: (r) => r.noRole.length },
  { header: "No security role: accounts", value: (r) => people(r.noRole) },
  { header: "IG training expired or not recorded", value: (r) => r.trainingExpired.length },
  { header: "IG training expired or not recorded: accounts", value: (r) => people(r.trainingExpired) },
  { header: "End date passed", value: (r) => r.endDatePassed.length },
  { header: "End date passed: accounts", value: (r) => people(r.endDatePassed) },
  { header: "Last review period", value: (r) => r.lastReview?.periodLabel ?? "" },
  { header: "Last review status", value: (r) => (r.lastReview ? standingLabels[r.lastReview.standing] : "No review yet") },
  { header: "Last review due", value: (r) => r.lastReview?.dueOn ?? "" },
  { header: "Accounts decided", value: (r) => (r.lastReview ? `${r.lastReview.decided} of ${r.lastReview.total}` : "") },
  { header: "Signed off", value: (r) => isoDay(r.lastReview?.signedOffAt ?? null) },
  { header: "Signed off by", value: (r) => r.lastReview?.signedOffByLabel ?? "" },
  { header: "Escalated to staff", value: (r) => isoDay(r.lastReview?.escalatedAt ?? null) },
];

/** The report as CSV (UAP-A.9): a byte order mark for Excel, a header row, formulas escaped (lib/audit/audit-csv.ts). */
export function reviewReportCsv(report: QuarterlyReport): string {
  return toCsv(
    report.organisations.map((row) => reviewReportColumns.map((c) => c.value(row))),
    reviewReportColumns.map((c) => c.header),
    true,
  );
}

/**
 * UAP-A.9 / AUP-5.2f: the quarterly review report as a CSV file, its export recorded (who,
 * what, when, how many rows) in the same transaction that read it: if the record cannot be
 * written, the caller gets an error instead of the file.
 */
export async function exportReviewReportCsv(options: ExportReviewReportOptions): Promise<ExportedReviewReport> {
  const { db, actor, clock, config } = options;
  return db.transaction(async (tx) => {
    const report = await quarterlyReport({ db: tx, clock, config });
    const csv = reviewReportCsv(report);
    const [event] = await recordAudit(tx, actor, clock, {
      action: "review.report_exported",
      detail: { format: "csv", report: "quarterly review report", period: report.period.label, rowCount: report.organisations.length },
    });
    return { csv, rowCount: report.organisations.length, auditSeq: event!.seq, report };
  });
}
