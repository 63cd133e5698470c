import { is } from "drizzle-orm";
import { NodePgDatabase } from "drizzle-orm/node-postgres";
import { NodePgTransaction } from "drizzle-orm/node-postgres/session";
import { arrayLiteral } from "./array-literal";
import type { Executor } from "./types";

/**
 * One column of a batch writer's rows, as one array parameter that the statement unnests with
 * the others (`unnest($1::uuid[], $2::text[], …)`): thousands of rows a statement without a
 * bind parameter a value.
 *
 * On node-postgres each array goes in PostgreSQL's binary array format (array_recv): node-postgres
 * sends a Buffer parameter as binary, and the server then copies each element instead of
 * scanning the text for quotes and escapes — array_in cost the inactivity sweep's inserts a
 * fifth of their time (bench/sweep). PGlite and Vercel Postgres take the text literal
 * (arrayLiteral), which every driver understands. Either way the statement and its result are
 * the same; the integration tests run each writer on both PGlite and PostgreSQL.
 */
export interface ArrayParams {
  text(values: readonly (string | null)[]): string | Buffer;
  uuid(values: readonly (string | null)[]): string | Buffer;
  int8(values: readonly (number | null)[]): string | Buffer;
  bool(values: readonly (boolean | null)[]): string | Buffer;
}

/** The element types' OIDs (pg_type), which array_recv checks against the parameter's type. */
const OID = { bool: 16, int8: 20, text: 25, uuid: 2950 } as const;

const textLiterals: ArrayParams = {
  text: (values) => arrayLiteral(values),
  uuid: (values) => arrayLiteral(values),
  int8: (values) => arrayLiteral(values.map((v) => (v === null ? null : String(wholeNumber(v))))),
  bool: (values) => arrayLiteral(values.map((v) => (v === null ? null : v ? "t" : "f"))),
};

const binaryArrays: ArrayParams = {
  text: (values) => binaryArray(OID.text, values, (v) => Buffer.byteLength(v, "utf8"), (buf, at, v, size) => buf.write(v, at, size, "utf8")),
  uuid: (values) => binaryArray(OID.uuid, values, () => 16, (buf, at, v) => writeUuid(buf, at, v)),
  int8: (values) => binaryArray(OID.int8, values, () => 8, (buf, at, v) => buf.writeBigInt64BE(BigInt(wholeNumber(v)), at)),
  bool: (values) => binaryArray(OID.bool, values, () => 1, (buf, at, v) => buf.writeUInt8(v ? 1 : 0, at)),
};

/** The array parameters this executor's driver takes best (see ArrayParams). */
export function arrayParamsFor(executor: Executor): ArrayParams {
  return is(executor, NodePgTransaction) || is(executor, NodePgDatabase) ? binaryArrays : textLiterals;
}

/** The parameter encoders for node-postgres, whatever the executor: for the unit tests. */
export const binaryArrayParams: ArrayParams = binaryArrays;

function wholeNumber(value: number): number {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a whole number for an int8 array: ${value}`);
  return value;
}

/** Each hex digit's value by character code; -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i += 1) HEX[48 + i] = i;
for (let i = 0; i < 6; i += 1) HEX[65 + i] = HEX[97 + i] = 10 + i;

/** The canonical 8-4-4-4-12 form as uuid_in reads it; anything else is refused, as uuid_in would refuse it. */
function writeUuid(buf: Buffer, at: number, value: string): void {
  let ok = value.length === 36;
  let out = at;
  for (let i = 0; ok && i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      ok = value.charCodeAt(i) === 45;
      i += 1;
      continue;
    }
    const high = HEX[value.charCodeAt(i)] ?? -1;
    const low = HEX[value.charCodeAt(i + 1)] ?? -1;
    ok = high >= 0 && low >= 0;
    buf[out] = (high << 4) | low;
    out += 1;
    i += 2;
  }
  // A malformed id must fail the statement, never be stored as something else.
  if (!ok) throw new TypeError(`not a UUID: ${JSON.stringify(value.slice(0, 60))}`);
}

/**
 * A one-dimensional array in the binary format: ndim, has-nulls flag, element OID, length and
 * lower bound (1), then each element as its byte length (-1 for NULL) and its bytes. Sizes are
 * taken first so the buffer is allocated once.
 */
function binaryArray<T>(oid: number, values: readonly (T | null)[], sizeOf: (value: T) => number, write: (buf: Buffer, at: number, value: T, size: number) => void): Buffer {
  const sizes = new Int32Array(values.length);
  let total = values.length === 0 ? 12 : 20;
  let hasNull = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      sizes[i] = -1;
      hasNull = 1;
      total += 4;
    } else {
      const size = sizeOf(value);
      sizes[i] = size;
      total += 4 + size;
    }
  }
  const buf = Buffer.allocUnsafe(total);
  buf.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  buf.writeInt32BE(hasNull, 4);
  buf.writeUInt32BE(oid, 8);
  let at = 12;
  if (values.length > 0) {
    buf.writeInt32BE(values.length, 12);
    buf.writeInt32BE(1, 16);
    at = 20;
  }
  for (let i = 0; i < values.length; i += 1) {
    const size = sizes[i]!;
    buf.writeInt32BE(size, at);
    at += 4;
    if (size < 0) continue;
    write(buf, at, values[i] as T, size);
    at += size;
  }
  return buf;
}
