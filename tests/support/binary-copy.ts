import type { HashedAuditFields } from "@/lib/audit/canonical";

/**
 * What PostgreSQL sends for verification's `COPY (select …) TO STDOUT (FORMAT binary)`
 * (lib/audit/copy-binary.ts), built here from events so the reader's unit tests need no server
 * (the integration tests read the real thing).
 */

/** jsonb's text for a JSON value: keys ordered by byte length, then bytes; ", " and ": " between items; escape_json's escapes. */
export function jsonbText(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return pgJsonString(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => {
    const x = Buffer.from(a, "utf8");
    const y = Buffer.from(b, "utf8");
    return x.length - y.length || Buffer.compare(x, y);
  });
  return `{${keys.map((key) => `${pgJsonString(key)}: ${jsonbText(record[key])}`).join(", ")}}`;
}

/** PostgreSQL's escape_json: \" \\ \b \f \n \r \t, other controls as \u00xx, everything else as it is. */
function pgJsonString(text: string): string {
  const short: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return `"${text.replace(/["\\\u0000-\u001f]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** A string as PostgreSQL stores it: valid UTF-8, so a lone surrogate becomes U+FFFD. */
export const asStored = (text: string) => Buffer.from(text, "utf8").toString("utf8");

/** A JSON value as jsonb gives it back (strings stored as UTF-8, keys and all). */
export function storedJson(value: unknown): unknown {
  if (typeof value === "string") return asStored(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(storedJson);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [asStored(k), storedJson(v)]));
}

const PG_EPOCH_MICROS = 946_684_800_000_000n;

function field(bytes: Buffer | null): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes === null ? -1 : bytes.length);
  return bytes === null ? length : Buffer.concat([length, bytes]);
}

const text = (value: string | null) => field(value === null ? null : Buffer.from(value, "utf8"));
const uuid = (value: string | null) => field(value === null ? null : Buffer.from(value.replaceAll("-", ""), "hex"));
function int64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(value);
  return field(bytes);
}

/** One row as the COPY query selects it: columns in the canonical key order, then the hash. */
export function binaryRow(event: HashedAuditFields, hash: string, options: { detailText?: string; extraMicros?: number } = {}): Buffer {
  const count = Buffer.alloc(2);
  count.writeInt16BE(15);
  const micros = BigInt(event.occurredAt.getTime()) * 1000n + BigInt(options.extraMicros ?? 0) - PG_EPOCH_MICROS;
  return Buffer.concat([
    count,
    text(event.action),
    uuid(event.actorId),
    text(event.actorLabel),
    text(event.channel),
    text(event.clientAddress),
    field(Buffer.concat([Buffer.from([1]), Buffer.from(options.detailText ?? jsonbText(event.detail), "utf8")])),
    uuid(event.id),
    int64(micros),
    uuid(event.organisationId),
    text(event.prevHash),
    uuid(event.requestId),
    int64(BigInt(event.seq)),
    uuid(event.subjectAccountId),
    text(event.userAgent),
    text(hash),
  ]);
}

/** A whole binary COPY: signature, flags, no header extension, the rows, the trailer. */
export function binaryCopy(rows: Buffer[]): Buffer {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
  return Buffer.concat([header, ...rows, Buffer.from([0xff, 0xff])]);
}
