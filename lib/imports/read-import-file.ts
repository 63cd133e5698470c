import { parse as parseCsv } from "csv-parse/sync";
import readXlsxFile from "read-excel-file/node";
import { AppError } from "../errors";
import { cleanCell, columnFor, headerScore, importColumns, matchHeader, missingFields, type HeaderMatch, type ImportField, type ImportRow } from "./columns";

/**
 * Reads an uploaded CSV or XLSX into rows of a bulk user request (UCP-BULK-1), the way real
 * files arrive: UTF-8 with or without a byte-order mark (or UTF-16 from Excel's "Unicode text",
 * or Windows-1252 from an older Excel), Windows or Unix line endings, comma, semicolon or tab
 * separators (whichever makes sense of the header), quoted fields, stray spaces, a title row or
 * two above the header, columns in any order under the usual names. Values are not judged
 * here; lib/imports/check-import.ts does that with the single form's rules.
 */

export interface ReadImportFileOptions {
  bytes: Uint8Array;
  /** Used only to tell a legacy .xls from a CSV in messages. */
  fileName?: string;
  /** Most data rows a file may have (the web takes 1,000). */
  maxRows?: number;
  /** Largest file accepted. */
  maxBytes?: number;
}

export interface ImportFile {
  format: "csv" | "xlsx";
  /** The sheet read, for an XLSX. */
  sheet: string | null;
  /** The separator found, for a CSV. */
  delimiter: string | null;
  /** The spreadsheet row number of the header. */
  headerRow: number;
  /** The columns recognised, in file order. */
  columns: { field: ImportField; header: string }[];
  /** Headers that name nothing the import uses; their values are ignored. */
  ignoredColumns: string[];
  /** The data rows that are not blank, in file order. */
  rows: ImportRow[];
}

export const DEFAULT_MAX_ROWS = 1_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb"). */
const MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024;
/** The header may sit below a title row or two; look this far down for it. */
const HEADER_SEARCH_ROWS = 10;
const DELIMITERS = [",", ";", "\t", "|"] as const;

/** A problem with the file as a whole: reported against the file field, nothing imported. */
export function fileError(log: string, message: string): AppError {
  return new AppError("validation", log, message, { file: message });
}

export async function readImportFile(options: ReadImportFileOptions): Promise<ImportFile> {
  const { bytes } = options;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength === 0) throw fileError("empty file", "The selected file is empty");
  if (bytes.byteLength > maxBytes) throw fileError(`file of ${bytes.byteLength} bytes`, `The selected file must be smaller than ${formatBytes(maxBytes)}`);

  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return readXlsx(bytes, maxRows);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    // The old binary Excel format (and password-protected XLSX, which Excel wraps the same way).
    throw fileError("legacy or encrypted Excel file", "The selected file is an old-style .xls workbook or is password protected. Save it as an Excel workbook (.xlsx) or CSV without a password and upload that");
  }
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(options.fileName ?? "")) {
    throw fileError("spreadsheet extension but not a zip", "The selected file could not be read as a spreadsheet. Save it as an Excel workbook (.xlsx) or CSV and upload that");
  }
  return readCsv(bytes, maxRows);
}

// ---------------------------------------------------------------------------------------------
// CSV

function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes);
  try {
    // The decoder drops a leading byte-order mark.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: an older Excel's "CSV (Comma delimited)" is Windows-1252.
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  if (sample.includes("\u0000")) return true;
  const controls = sample.match(/[\u0001-\u0008\u000E-\u001F\u007F]/g)?.length ?? 0;
  return controls > sample.length / 100 + 2;
}

type CsvRecords = string[][];

function parseRecords(text: string, delimiter: string): CsvRecords {
  return parseCsv(text, {
    delimiter,
    bom: true,
    // Spaces around a quoted value ("a" , "b") are stray, not data.
    trim: true,
    relax_column_count: true,
    // A quote inside an unquoted value (O"Brien) is kept as written.
    relax_quotes: true,
    // Kept, so a record's index is its spreadsheet row number; blank rows are dropped later.
    skip_empty_lines: false,
    max_record_size: 64 * 1024,
  });
}

/** The first lines' records, dropping lines from the end until they parse (a quoted value may run on). */
function parseHead(lines: string[], delimiter: string): CsvRecords | null {
  for (let count = lines.length; count > 0; count--) {
    try {
      return parseRecords(lines.slice(0, count).join("\n"), delimiter);
    } catch {
      // try fewer lines
    }
  }
  return null;
}

function readCsv(bytes: Uint8Array, maxRows: number): ImportFile {
  const text = decodeText(bytes);
  if (looksBinary(text)) throw fileError("binary content", "The selected file must be a CSV or an Excel workbook (.xlsx)");

  // The separator is the one that makes the most sense of the header.
  // Judged on the first lines alone, so a fault further down is reported as itself, not as "no header".
  const lines = text.split(/\r\n|\n|\r/, HEADER_SEARCH_ROWS);
  let best: { delimiter: string; found: FoundHeader } | null = null;
  for (const delimiter of DELIMITERS) {
    const head = parseHead(lines, delimiter);
    if (!head) continue;
    const found = findHeader(head);
    if (found && (!best || headerScore(found.match) > headerScore(best.found.match))) best = { delimiter, found };
  }
  if (!best) throw noHeader();

  let records: CsvRecords;
  try {
    records = parseRecords(text, best.delimiter);
  } catch (error) {
    throw csvError(error);
  }
  return {
    format: "csv",
    sheet: null,
    delimiter: best.delimiter,
    ...rowsFrom(records, best.found, maxRows),
  };
}

function csvError(error: unknown): AppError {
  const e = error as { code?: string; lines?: number; message?: string };
  const where = typeof e.lines === "number" ? ` near line ${e.lines}` : "";
  const message =
    e.code === "CSV_QUOTE_NOT_CLOSED"
      ? `The selected file could not be read: a quoted value${where} is never closed. Check for a stray double quote (")`
      : e.code === "CSV_MAX_RECORD_SIZE"
        ? `The selected file could not be read: a row${where} is far too long. Check that the file is a CSV with one person a row`
        : `The selected file could not be read as a CSV${where}. Save it again from your spreadsheet as CSV (UTF-8) or as an Excel workbook (.xlsx)`;
  return fileError(`csv: ${e.code ?? "error"} ${e.message ?? ""}`, message);
}

// ---------------------------------------------------------------------------------------------
// XLSX

async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<ImportFile> {
  const unpacked = zipUnpackedSize(bytes);
  if (unpacked === null) throw unreadableXlsx("zip directory unreadable");
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) throw fileError(`xlsx unpacks to ${unpacked} bytes`, "The selected workbook is too large to read. Remove other sheets, pictures and formatting, or save the list as CSV");
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as unknown as { sheet: string; data: unknown[][] }[];
  } catch (error) {
    throw unreadableXlsx((error as Error).message);
  }
  // The first sheet with a header we recognise (a "Guidance" sheet may come first).
  for (const { sheet, data } of sheets) {
    const head = data.slice(0, HEADER_SEARCH_ROWS).map((row) => row.map((cell) => cellText(cell, null)));
    const found = findHeader(head);
    if (!found) continue;
    const records = data.map((row, index) => (index <= found.index ? head[index] ?? [] : row.map((cell, column) => cellText(cell, found.match.fields.get(column) ?? null))));
    return { format: "xlsx", sheet, delimiter: null, ...rowsFrom(records, found, maxRows) };
  }
  throw noHeader();
}

function unreadableXlsx(log: string): AppError {
  return fileError(`xlsx: ${log}`, "The selected file could not be read as an Excel workbook. Open it in your spreadsheet, save it again as .xlsx or CSV, and upload that");
}

const DATE_FIELDS: readonly (ImportField | null)[] = ["endDate", "igTrainingDate"];

/** A cell as text: dates as YYYY-MM-DD, whole numbers without ".0", yes/no for true/false. */
function cellText(cell: unknown, field: ImportField | null): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString().slice(0, 10);
  if (typeof cell === "boolean") return cell ? "yes" : "no";
  if (typeof cell === "number") {
    // A date column whose cells are not formatted as dates holds Excel's day numbers.
    if (DATE_FIELDS.includes(field) && Number.isInteger(cell) && cell > 20_000 && cell < 80_000) {
      return new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000).toISOString().slice(0, 10);
    }
    return Number.isInteger(cell) ? String(cell) : String(Number(cell.toPrecision(15)));
  }
  return String(cell);
}

/**
 * The total unpacked size a zip's central directory declares, or null when there is no
 * readable directory. Checked before unpacking, so a tiny upload cannot expand to gigabytes.
 */
export function zipUnpackedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stop = Math.max(0, bytes.byteLength - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.byteLength - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (entries === 0xffff || offset === 0xffffffff) return Number.POSITIVE_INFINITY; // ZIP64: far beyond any list of people
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== 0x02014b50) return null;
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Shared: the header, then the rows under it

interface FoundHeader {
  /** Index of the header among the records. */
  index: number;
  cells: string[];
  match: HeaderMatch;
}

/** The best header among the first rows: the one naming the most fields, at least two. */
function findHeader(records: string[][]): FoundHeader | null {
  let best: FoundHeader | null = null;
  records.slice(0, HEADER_SEARCH_ROWS).forEach((record, index) => {
    const cells = record.map((cell) => cleanCell(String(cell ?? "")));
    const match = matchHeader(cells);
    if (headerScore(match) >= 2 && (!best || headerScore(match) > headerScore(best.match))) best = { index, cells, match };
  });
  return best;
}

function noHeader(): AppError {
  const names = importColumns.filter((c) => c.inTemplate).slice(0, 4).map((c) => c.label);
  return fileError("no recognisable header", `The selected file must have a header row naming its columns, such as ${names.join(", ")}. Download the template to see them`);
}

function rowsFrom(records: string[][], header: FoundHeader, maxRows: number): Omit<ImportFile, "format" | "sheet" | "delimiter"> {
  const { match } = header;
  if (match.repeated.length > 0) {
    const first = match.repeated[0]!;
    throw fileError(
      `repeated column ${first.field}`,
      `The selected file has more than one ${columnFor[first.field].label} column (${first.headers.map((h) => `"${h}"`).join(" and ")}). Keep one and upload the file again`,
    );
  }
  const missing = missingFields(match);
  if (missing.length > 0) {
    const labels = missing.map((field) => columnFor[field].label);
    throw fileError(`missing columns ${missing.join(",")}`, `The selected file must have ${labels.length === 1 ? "a column" : "columns"} for ${joinAnd(labels)}. Download the template to see the columns`);
  }

  const rows: ImportRow[] = [];
  for (let index = header.index + 1; index < records.length; index++) {
    const record = records[index] ?? [];
    const values: ImportRow["values"] = {};
    let blank = true;
    for (const [column, field] of match.fields) {
      const value = cleanCell(String(record[column] ?? ""));
      if (value !== "") {
        values[field] = value;
        blank = false;
      }
    }
    if (blank) continue;
    if (!values.fullName && (values.firstName || values.lastName)) values.fullName = [values.firstName, values.lastName].filter(Boolean).join(" ");
    delete values.firstName;
    delete values.lastName;
    rows.push({ row: index + 1, values });
    if (rows.length > maxRows) break;
  }
  if (rows.length === 0) throw fileError("no data rows", "The selected file has a header row but no people under it");
  if (rows.length > maxRows) {
    const total = records.slice(header.index + 1).filter((r) => r.some((cell) => cleanCell(String(cell ?? "")) !== "")).length;
    throw fileError(`${total} rows over ${maxRows}`, `The selected file has ${total.toLocaleString("en-GB")} people in it. Upload at most ${maxRows.toLocaleString("en-GB")} at a time: split the list into smaller files`);
  }
  return {
    headerRow: header.index + 1,
    columns: [...match.fields.entries()].sort(([a], [b]) => a - b).map(([column, field]) => ({ field, header: header.cells[column] ?? "" })),
    ignoredColumns: match.ignored,
    rows,
  };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
