import { hash as sha } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit event that its hash covers, in the shape they are stored. */
export interface HashedAuditFields {
  seq: number;
  id: string;
  occurredAt: Date;
  action: string;
  channel: string;
  actorId: string | null;
  actorLabel: string;
  organisationId: string | null;
  subjectAccountId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
}

/**
 * A stable encoding of an event: JSON with object keys sorted at every depth, so the same
 * event hashes the same after a round trip through jsonb (which reorders keys).
 */
export function canonicalEncoding(event: HashedAuditFields): string {
  return stableJson({ ...event, occurredAt: event.occurredAt.toISOString() });
}

/**
 * An event's hash: SHA-256 of its canonical encoding (made by the fixed-order encoder, the same
 * bytes). `detailJson`, when given, must be stableJson(event.detail) — a writer that also stores
 * the detail makes it once for both (it is JSON of the same value, so jsonb stores it alike).
 */
export function hashEvent(event: HashedAuditFields, detailJson?: string): string {
  // The one-shot hash: half the cost of a Hash object for a few hundred bytes (the sweeps hash thousands).
  return sha("sha256", canonicalEncodingOfEvent(event, detailJson), "hex");
}

/**
 * An event as verification reads it: every column as PostgreSQL prints it (no Date, no parsed
 * jsonb), so a million rows cost no per-row object building beyond the row itself.
 */
export interface StoredAuditText {
  seq: string;
  id: string;
  /** Milliseconds since 1970 (the stored time, truncated to the millisecond as a JS Date is). */
  occurredAtMs: string;
  action: string;
  channel: string;
  actorId: string | null;
  actorLabel: string;
  organisationId: string | null;
  subjectAccountId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  /** The jsonb as text: its keys are reordered here, so it is parsed and re-encoded. */
  detail: string;
  prevHash: string;
}

const str = (value: string | null): string => (value === null ? "null" : JSON.stringify(value));
/** A uuid column as PostgreSQL prints it (lower-case hex and hyphens only): quoting is its JSON. */
const uuid = (value: string | null): string => (value === null ? "null" : `"${value}"`);

/**
 * canonicalEncoding of a stored row, written out in the canonical (sorted) key order without
 * building an intermediate object: the same bytes, several times faster. A unit test holds
 * the two to the same output, field by field, including hostile strings and nesting.
 * Keys sorted: action, actorId, actorLabel, channel, clientAddress, detail, id, occurredAt,
 * organisationId, prevHash, requestId, seq, subjectAccountId, userAgent.
 */
export function canonicalEncodingOfStored(row: StoredAuditText): string {
  return `{"action":${str(row.action)},"actorId":${uuid(row.actorId)},"actorLabel":${str(row.actorLabel)},"channel":${str(row.channel)},"clientAddress":${str(row.clientAddress)},"detail":${stableJson(JSON.parse(row.detail))},"id":${uuid(row.id)},"occurredAt":"${new Date(Number(row.occurredAtMs)).toISOString()}","organisationId":${uuid(row.organisationId)},"prevHash":${str(row.prevHash)},"requestId":${uuid(row.requestId)},"seq":${JSON.stringify(Number(row.seq))},"subjectAccountId":${uuid(row.subjectAccountId)},"userAgent":${str(row.userAgent)}}`;
}

/** The fields a HashedAuditFields has: an event with any other, or any undefined, takes the generic path. */
const HASHED_FIELD_COUNT = 14;

/**
 * canonicalEncoding of an event being written (recordAudit, the jobs' sweeps), in the canonical
 * (sorted) key order without copying or sorting the event's fields: the same bytes, several
 * times faster on a sweep of thousands. Nested values go through stableJson. An event that is not exactly the 14 fields, none undefined, is handed to
 * canonicalEncoding itself. A property test holds the two to the same output, hostile values
 * included (tests/unit/audit/canonical-write.test.ts).
 */
export function canonicalEncodingOfEvent(event: HashedAuditFields, detailJson?: string): string {
  return hasExactlyTheHashedFields(event) ? encodeFixedOrder(event, detailJson ?? stableJson(event.detail)) : canonicalEncoding(event);
}

/** Whether the event is exactly the 14 hashed fields, none undefined: only then may the fixed-order encoder take it. */
function hasExactlyTheHashedFields(event: HashedAuditFields): boolean {
  const e = event as Partial<HashedAuditFields>;
  return !(
    Object.keys(event).length !== HASHED_FIELD_COUNT ||
    e.seq === undefined || e.id === undefined || e.occurredAt === undefined || e.action === undefined || e.channel === undefined ||
    e.actorId === undefined || e.actorLabel === undefined || e.organisationId === undefined || e.subjectAccountId === undefined ||
    e.requestId === undefined || e.clientAddress === undefined || e.userAgent === undefined || e.detail === undefined || e.prevHash === undefined
  );
}

/** The canonical encoding, written out in sorted key order (the detail's canonical JSON given). */
function encodeFixedOrder(event: HashedAuditFields, detailJson: string): string {
  return `{"action":${stableJson(event.action)},"actorId":${stableJson(event.actorId)},"actorLabel":${stableJson(event.actorLabel)},"channel":${stableJson(event.channel)},"clientAddress":${stableJson(event.clientAddress)},"detail":${detailJson},"id":${stableJson(event.id)},"occurredAt":${JSON.stringify(event.occurredAt.toISOString())},"organisationId":${stableJson(event.organisationId)},"prevHash":${stableJson(event.prevHash)},"requestId":${stableJson(event.requestId)},"seq":${stableJson(event.seq)},"subjectAccountId":${stableJson(event.subjectAccountId)},"userAgent":${stableJson(event.userAgent)}}`;
}

/**
 * JSON with object keys sorted at every depth (UTF-16 code-unit order, as Array.prototype.sort
 * compares), undefined members left out: the one canonical JSON every encoder here uses, for
 * events being written and rows being verified alike. A value of plain JSON (the details are)
 * is written by JSON.stringify itself, given every key of every depth sorted as its key list —
 * it then writes each object's keys in that order, as the recursive writer does, several times
 * faster; anything else takes the recursive writer. A property test holds the two to the same
 * output (tests/unit/audit/canonical-json.test.ts).
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  const keys = sortedKeysOfPlainJson(value);
  return keys === null ? stableJsonByHand(value) : JSON.stringify(value, keys);
}

/**
 * Every key of every object in `value`, sorted; null when `value` holds anything JSON.stringify
 * with a key list might write differently from stableJsonByHand: a function, symbol or bigint,
 * an object that is not a plain one (a Date, a boxed number, a class), a sparse array, or a key
 * Object.prototype has (`__proto__`, `constructor`, `toString` …), which the list would make
 * JSON.stringify read from the prototype of every object lacking it.
 */
function sortedKeysOfPlainJson(value: object): string[] | null {
  const keys = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || item === undefined) continue;
    const type = typeof item;
    if (type === "string" || type === "number" || type === "boolean") continue;
    if (type !== "object") return null;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i += 1) {
        if (!(i in item)) return null;
        pending.push(item[i]);
      }
      continue;
    }
    if (!isPlainObject(item)) return null;
    for (const key of Object.keys(item)) {
      if (key in Object.prototype) return null;
      keys.add(key);
      pending.push((item as Record<string, unknown>)[key]);
    }
  }
  return [...keys].sort();
}

/** An object literal's (or JSON.parse's, or Object.create(null)'s), not a Date, boxed value or class instance. */
export function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** stableJson written out by hand, for values sortedKeysOfPlainJson does not take. */
function stableJsonByHand(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJsonByHand).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${stableJsonByHand(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** The canonical JSON of a stored detail as PostgreSQL prints the jsonb (keys reordered): for verification's COPY reader when a detail is not one lib/audit/jsonb-canonical.ts can re-order from its bytes (lib/audit/copy-binary.ts). */
export function canonicalDetailJson(detailText: string): string {
  return stableJson(JSON.parse(detailText));
}
