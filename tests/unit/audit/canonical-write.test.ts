import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalEncoding, canonicalEncodingOfEvent, type HashedAuditFields } from "@/lib/audit/canonical";
import { hostileString, hostileValue, INJECTIONS } from "../property/hostile";

/**
 * The write path's encoder (recordAudit, the jobs' sweeps) must produce the very bytes of
 * canonicalEncoding for every event, or a chain written fast would fail verification.
 */

const base: HashedAuditFields = {
  seq: 42,
  id: "0b6f3c1e-8d2a-4f7e-9a51-3c2d1e0f9a8b",
  occurredAt: new Date("2026-11-24T09:30:00.123Z"),
  action: "account.suspended",
  channel: "job",
  actorId: null,
  actorLabel: "Inactivity suspensions",
  organisationId: "7c6b5a49-3827-4165-9f8e-7d6c5b4a3928",
  subjectAccountId: "11111111-2222-4333-8444-555555555555",
  requestId: null,
  clientAddress: null,
  userAgent: null,
  detail: { before: { status: "active" }, after: { status: "suspended" }, reason: "No sign-in for 60 days", rule: "UAP-4.3b", idleSince: "2026-07-01T00:00:00.000Z", sessionsEnded: 0 },
  prevHash: "f".repeat(64),
};

/** The same outcome from both: the same text, or the same kind of error. */
function outcome(encode: (event: HashedAuditFields) => string, event: HashedAuditFields): string {
  try {
    return `ok:${encode(event)}`;
  } catch (error) {
    return `threw:${(error as Error).constructor.name}`;
  }
}

const nullableString = fc.oneof(fc.constant(null), hostileString);

/** Any event: hostile text in every string column, any value nested anywhere in detail. */
const hostileEvent: fc.Arbitrary<HashedAuditFields> = fc.record({
  seq: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity)),
  id: hostileString,
  occurredAt: fc.date({ noInvalidDate: true }),
  action: hostileString,
  channel: hostileString,
  actorId: nullableString,
  actorLabel: hostileString,
  organisationId: nullableString,
  subjectAccountId: nullableString,
  requestId: nullableString,
  clientAddress: nullableString,
  userAgent: nullableString,
  detail: fc.dictionary(fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "toJSON", "a", "B", "é", "\uD800", "10", "2")), fc.oneof(hostileValue, fc.jsonValue()), { maxKeys: 8 }),
  prevHash: hostileString,
});

describe("the write path's canonical encoder", () => {
  it("UAP-4.4 writes the very bytes canonicalEncoding writes for a sweep's event", () => {
    expect(canonicalEncodingOfEvent(base)).toBe(canonicalEncoding(base));
  });

  it.each<[string, Partial<HashedAuditFields>]>([
    ["every nullable column set", { actorId: "5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", requestId: "66666666-7777-4888-9999-000000000000", clientAddress: "192.0.2.10", userAgent: "Mozilla/5.0" }],
    ["quotes, backslashes, control characters, lone surrogates and non-ASCII text", { actorLabel: 'Zoë "the boss" \\ O\'Neil\n\t\u0001\u2028\uD800', userAgent: INJECTIONS.join("") }],
    ["keys needing sorting, nested and in arrays", { detail: { zz: 1, a: { y: [3, { d: 1, c: null, e: undefined }], b: "x" }, ab: true, "10": 1, "9": 2, B: 0, é: 1 } }],
    ["undefined, sparse arrays, dates, boxed values and functions nested in detail", { detail: { u: undefined, sparse: [1, , 3], date: new Date(0), boxed: [new String("ab"), new Number(2), new Boolean(false)], f: () => 1, s: Symbol("x"), inArray: [undefined, () => 1] } }],
    ["an empty detail", { detail: {} }],
    ["numbers jsonb keeps and JSON loses", { seq: 9_007_199_254_740_991, detail: { nan: Number.NaN, inf: -Infinity, negZero: -0, big: 1e21, small: 5e-324 } }],
    ["a time before 1970", { occurredAt: new Date("1969-12-31T23:59:59.999Z") }],
  ])("matches canonicalEncoding with %s", (_name, change) => {
    const event = { ...base, ...change };
    expect(outcome(canonicalEncodingOfEvent, event)).toBe(outcome(canonicalEncoding, event));
  });

  it("falls back to canonicalEncoding, byte for byte, for an event with a field missing, undefined or extra", () => {
    const { userAgent: _dropped, ...missing } = base;
    const cases = [missing as HashedAuditFields, { ...base, requestId: undefined as unknown as null }, { ...base, hash: "a".repeat(64) } as HashedAuditFields];
    for (const event of cases) expect(canonicalEncodingOfEvent(event)).toBe(canonicalEncoding(event));
  });

  it("throws where canonicalEncoding throws (a big integer, an invalid time)", () => {
    for (const event of [{ ...base, detail: { n: 1n } }, { ...base, occurredAt: new Date(Number.NaN) }]) {
      expect(outcome(canonicalEncodingOfEvent, event)).toMatch(/^threw:/);
      expect(outcome(canonicalEncodingOfEvent, event)).toBe(outcome(canonicalEncoding, event));
    }
  });

  it("UAP-4.4 matches canonicalEncoding for any event, hostile text and nesting included (property)", () => {
    fc.assert(
      fc.property(hostileEvent, (event) => {
        expect(outcome(canonicalEncodingOfEvent, event)).toBe(outcome(canonicalEncoding, event));
      }),
      { numRuns: 2_000 },
    );
  });

  it("differs when any one field differs, so no column escapes the hash", () => {
    const reference = canonicalEncodingOfEvent(base);
    for (const key of Object.keys(base) as (keyof HashedAuditFields)[]) {
      const value = base[key];
      const changed = key === "seq" ? 43 : key === "occurredAt" ? new Date(base.occurredAt.getTime() + 1) : key === "detail" ? { x: 1 } : value === null ? "x" : `${String(value)}x`;
      expect(canonicalEncodingOfEvent({ ...base, [key]: changed }), key).not.toBe(reference);
    }
  });
});
