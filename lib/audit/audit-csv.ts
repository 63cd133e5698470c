import { stringify } from "csv-stringify/sync";
import type { AuditRow } from "./search-audit";
import { AUDIT_TIME_ZONE } from "./search-filters";

/**
 * Audit events as CSV (AUP-4.1, UAP-A.9), written by csv-stringify. Every cell that a
 * spreadsheet would read as a formula — starting with = + - @, a tab or a carriage return —
 * is prefixed with ' (csv-stringify's escape_formulas), because actor labels, user agents and
 * details come from outside: an email subject or a name could otherwise run in Excel.
 */

export const auditCsvColumns: { key: string; header: string; value: (row: AuditRow) => string | number }[] = [
  { key: "seq", header: "Sequence", value: (r) => r.seq },
  { key: "id", header: "Event ID", value: (r) => r.id },
  { key: "occurred_at_utc", header: "Time (UTC)", value: (r) => r.occurredAt.toISOString() },
  { key: "occurred_at_uk", header: "Time (UK)", value: (r) => ukTime(r.occurredAt) },
  { key: "action", header: "Action", value: (r) => r.action },
  { key: "channel", header: "Channel", value: (r) => r.channel },
  { key: "actor_id", header: "Actor account ID", value: (r) => r.actorId ?? "" },
  { key: "actor", header: "Actor", value: (r) => r.actorLabel },
  { key: "organisation_id", header: "Organisation ID", value: (r) => r.organisationId ?? "" },
  { key: "organisation", header: "Organisation", value: (r) => r.organisationName ?? "" },
  { key: "subject_account_id", header: "Subject account ID", value: (r) => r.subjectAccountId ?? "" },
  { key: "subject", header: "Subject", value: (r) => r.subjectName ?? "" },
  { key: "subject_email", header: "Subject email", value: (r) => r.subjectEmail ?? "" },
  { key: "request_id", header: "Request ID", value: (r) => r.requestId ?? "" },
  { key: "client_address", header: "Client address", value: (r) => r.clientAddress ?? "" },
  { key: "user_agent", header: "User agent", value: (r) => r.userAgent ?? "" },
  { key: "detail", header: "Detail", value: (r) => JSON.stringify(r.detail) },
  { key: "prev_hash", header: "Previous hash", value: (r) => r.prevHash },
  { key: "hash", header: "Hash", value: (r) => r.hash },
];

const ukParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: AUDIT_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

const HOUR = 3_600_000;
const offsets = new Map<number, number>();

/** The UK's offset from UTC during the UTC hour holding `ms` (the clocks change on the hour, at 01:00 UTC). */
function ukOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const part: Record<string, string> = {};
    for (const { type, value } of ukParts.formatToParts(new Date(hour * HOUR))) part[type] = value;
    offset = Date.UTC(Number(part.year), Number(part.month) - 1, Number(part.day), Number(part.hour), Number(part.minute), Number(part.second)) - hour * HOUR;
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

/**
 * "2025-07-01 09:05:09", the wall clock in the UK. The offset is worked out once an hour of
 * events, not once a row: a million-row export must not format a million dates through Intl.
 * (In the hour the clocks go back, the UTC column tells the two 01:30s apart.)
 */
export function ukTime(instant: Date): string {
  const ms = instant.getTime();
  return new Date(ms + ukOffset(ms)).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * One chunk of the file. The first chunk (`first`) starts with a byte order mark, so Excel
 * reads names such as "Siân" as UTF-8, and the header row.
 */
export function auditRowsToCsv(rows: readonly AuditRow[], options: { first: boolean }): string {
  return toCsv(
    rows.map((row) => auditCsvColumns.map((column) => column.value(row))),
    options.first ? auditCsvColumns.map((c) => c.header) : undefined,
    options.first,
  );
}

/** CSV text of the records (and a header row), formulas escaped, CRLF line ends as RFC 4180 says. */
export function toCsv(records: readonly (readonly (string | number | null | undefined)[])[], header?: readonly string[], bom = false): string {
  const text = stringify(header ? [header, ...records] : [...records], {
    escape_formulas: true,
    record_delimiter: "windows",
    // A bare line feed or carriage return inside a value is quoted too (csv-stringify quotes only
    // the whole record delimiter), and so is edge whitespace, so every cell reads back as written.
    quoted_match: [/[\r\n]/, /^\s|\s$/],
    cast: { number: (value) => String(value) },
  });
  return bom ? `\uFEFF${text}` : text;
}
