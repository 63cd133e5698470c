import { parse as parseCsv } from "csv-parse/sync";
import { AppError } from "../errors";
import { feedColumns, headerKey, type FeedKind } from "./kinds";

/**
 * Reads a feed file — CSV or JSON — into rows of text keyed by field, for one kind. CSV as
 * files arrive: with or without a byte-order mark, CRLF or LF, comma, semicolon or tab
 * separated (whichever the header uses), quoted values with commas and line breaks in them.
 * JSON: an array of objects, or an object with a `rows` array; numbers and booleans are read
 * as their text. A row's number is its line in the CSV (the header is line 1) or its position
 * in the JSON array (from 1). Values are judged later, by the kind's schema.
 */

export interface FeedFileRow {
  row: number;
  values: Record<string, string>;
}

export interface FeedFile {
  format: "csv" | "json";
  /** Headers that name no column of the kind; their values are ignored. */
  ignoredColumns: string[];
  rows: FeedFileRow[];
}

export const FEED_MAX_BYTES = 200 * 1024 * 1024;

function fileError(log: string, message: string): AppError {
  return new AppError("validation", log, message, { file: message });
}

export function readFeedFile(options: { bytes: Uint8Array; kind: FeedKind; fileName?: string; maxBytes?: number }): FeedFile {
  const { bytes, kind } = options;
  if (bytes.byteLength === 0) throw fileError("empty feed file", "The file is empty");
  if (bytes.byteLength > (options.maxBytes ?? FEED_MAX_BYTES)) throw fileError("feed file too large", "The file is too large");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  const isJson = /\.json$/i.test(options.fileName ?? "") || trimmed.startsWith("[") || trimmed.startsWith("{");
  return isJson ? readJson(trimmed, kind) : readCsv(text, kind);
}

/** Which field each header names (null: none). */
function mapHeaders(kind: FeedKind, headers: string[]): (string | null)[] {
  const taken = new Set<string>();
  return headers.map((header) => {
    const key = headerKey(header);
    const column = feedColumns[kind].find((c) => c.aliases.includes(key));
    if (!column || taken.has(column.field)) return null;
    taken.add(column.field);
    return column.field;
  });
}

function checkSourceIdColumn(kind: FeedKind, fields: (string | null)[]): void {
  if (!fields.includes("sourceId")) {
    throw fileError("no source id column", `The file has no Source ID column: every ${kind.replace(/_/g, " ")} row needs the finance system's identifier`);
  }
}

function readCsv(text: string, kind: FeedKind): FeedFile {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = [",", ";", "\t"].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0]!.d;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, bom: true, trim: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 }) as never;
  } catch (error) {
    throw fileError(`csv parse: ${(error as Error).message}`, `The file could not be read as CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw fileError("no header", "The file has no header row");
  const fields = mapHeaders(kind, header.record);
  checkSourceIdColumn(kind, fields);
  const rows: FeedFileRow[] = [];
  for (const { record, info } of data) {
    if (record.every((v) => v === "")) continue;
    const values: Record<string, string> = {};
    fields.forEach((field, i) => {
      if (field) values[field] = record[i] ?? "";
    });
    rows.push({ row: info.lines, values });
  }
  return { format: "csv", ignoredColumns: header.record.filter((_, i) => fields[i] === null && header.record[i] !== ""), rows };
}

function readJson(text: string, kind: FeedKind): FeedFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fileError(`json parse: ${(error as Error).message}`, `The file could not be read as JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" && Array.isArray((parsed as { rows?: unknown }).rows) ? (parsed as { rows: unknown[] }).rows : null;
  if (!list) throw fileError("json not a list", "The JSON must be an array of records, or an object with a rows array");
  const headers = [...new Set(list.flatMap((item) => (item && typeof item === "object" && !Array.isArray(item) ? Object.keys(item) : [])))];
  const fields = mapHeaders(kind, headers);
  if (list.length > 0) checkSourceIdColumn(kind, fields);
  const rows = list.map((item, index): FeedFileRow => {
    const values: Record<string, string> = {};
    if (item && typeof item === "object" && !Array.isArray(item)) {
      headers.forEach((header, i) => {
        const field = fields[i];
        const value = (item as Record<string, unknown>)[header];
        if (field && value !== undefined) values[field] = value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      });
    }
    return { row: index + 1, values };
  });
  return { format: "json", ignoredColumns: headers.filter((_, i) => fields[i] === null), rows };
}
