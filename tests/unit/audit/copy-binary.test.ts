import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalEncoding, GENESIS_HASH, type HashedAuditFields } from "@/lib/audit/canonical";
import { ChainWalk } from "@/lib/audit/chain-walk";
import { BinaryCopyReader } from "@/lib/audit/copy-binary";
import { alteredProblem, linkProblem, removedProblem } from "@/lib/audit/chain-walk";
import { asStored, binaryCopy, binaryRow, storedJson } from "@/tests/support/binary-copy";
import { sampleAuditEvent } from "@/tests/support/audit-event";
import { hostileString, INJECTIONS } from "../property/hostile";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const base = sampleAuditEvent;

/** The canonical encoding the reader writes for one row, as text. */
function encodingOf(row: Buffer): string {
  const reader = new BinaryCopyReader(new ChainWalk(null, null));
  expect(reader.locate(row, 2)).toBe(row.length);
  return reader.encodeRow(row).toString("utf8");
}

/** An event as the database gives it back: text stored as UTF-8, the detail through jsonb. */
function stored(event: HashedAuditFields): HashedAuditFields {
  const s = (value: string | null) => (value === null ? null : asStored(value));
  return {
    ...event,
    action: asStored(event.action),
    channel: asStored(event.channel),
    actorLabel: asStored(event.actorLabel),
    clientAddress: s(event.clientAddress),
    userAgent: s(event.userAgent),
    prevHash: asStored(event.prevHash),
    detail: storedJson(event.detail) as Record<string, unknown>,
  };
}

const cases: [string, Partial<HashedAuditFields>, { detailText?: string; extraMicros?: number }?][] = [
  ["every nullable column null", { actorId: null, organisationId: null, clientAddress: null, userAgent: null }],
  ["every nullable column set", { subjectAccountId: "11111111-2222-4333-8444-555555555555", requestId: "66666666-7777-4888-9999-000000000000" }],
  ["quotes, backslashes, tabs, newlines, control characters and non-ASCII text", { actorLabel: 'Zoë "the boss" \\ O\'Neil\n\t\r\u0001\b\f\v\u2028 𝄞', userAgent: "<script>alert(1)</script>\\N" }],
  ["keys in jsonb's order (length first), nested and in arrays", { detail: { zz: 1, a: { y: [3, { d: 1, c: null }], b: "x" }, ab: true, "10": false, "9": [] } }],
  ["a detail with escapes and non-ASCII keys", { detail: { note: 'a "quoted"\\ word\n\ttab\u0001', ü: "ü", "𝄞": 1, "\uffff": 2 } }],
  ["an empty detail, empty arrays and objects", { detail: { a: {}, b: [], c: [{}, []] } }],
  ["numbers as jsonb prints them", { detail: { n: 1.5, big: 123456789012345, bigger: 1234567890123456, neg: -0.25, zero: 0, minus: -7, huge: 1e21 } }],
  ["a detail nested 40 levels deep", { detail: JSON.parse('{"a":['.repeat(40) + '"bottom"' + "]}".repeat(40)) as Record<string, unknown> }],
  ["a time on a whole second and a large sequence number", { occurredAt: new Date("2027-01-01T00:00:00.000Z"), seq: 9_007_199_254 }],
  ["a time with microseconds, truncated to the millisecond", { occurredAt: new Date("2026-11-24T09:30:00.123Z") }, { extraMicros: 999 }],
  ["a time just before midnight", { occurredAt: new Date("2026-12-31T23:59:59.999Z") }],
  ["a time before 1970", { occurredAt: new Date("1969-12-31T23:59:59.999Z") }],
  ["a time before 2000 with microseconds", { occurredAt: new Date("1999-12-31T23:59:59.999Z") }, { extraMicros: 1 }],
  ["a time long before 1970", { occurredAt: new Date("1901-02-03T04:05:06.007Z") }],
  ["a time in a five-digit year", { occurredAt: new Date("+012345-06-07T08:09:10.011Z") }],
  ["a text whose escapes outgrow the buffer many times over, then more fields", { actorLabel: "\u0001".repeat(100_000) }],
  ["a huge row", { userAgent: "B".repeat(300_000), detail: { big: "C".repeat(200_000), esc: "\n".repeat(50_000) } }],
  ["a sequence number beyond 2^53", { seq: 12_345_678_901_234_567 }],
  ["a sequence number of 0 and a negative one", { seq: 0 }],
  ["a negative sequence number", { seq: -12 }],
];

describe("the binary COPY reader", () => {
  it.each(cases)("UAP-4.4 writes the very bytes canonicalEncoding writes, with %s", (_name, change, options) => {
    const event = stored({ ...base, ...change });
    expect(encodingOf(binaryRow(event, "h", options))).toBe(canonicalEncoding(event));
  });

  it("UAP-4.4 writes canonicalEncoding's bytes for hostile text and details", () => {
    const detail = fc.dictionary(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.constantFrom("__proto__", "a", "ab", "10")), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    const nullable = fc.option(hostileString);
    fc.assert(
      fc.property(hostileString, hostileString, nullable, nullable, detail, fc.integer({ min: -1e12, max: 4e12 }), (action, actorLabel, clientAddress, userAgent, value, ms) => {
        const event = stored({ ...base, action, actorLabel, clientAddress, userAgent, detail: value, occurredAt: new Date(ms) });
        expect(encodingOf(binaryRow(event, "h"))).toBe(canonicalEncoding(event));
      }),
      { numRuns: 400 },
    );
    for (const injection of INJECTIONS) {
      const event = stored({ ...base, actorLabel: injection, detail: { [injection]: injection, nested: { [injection]: [injection] } } });
      expect(encodingOf(binaryRow(event, "h"))).toBe(canonicalEncoding(event));
    }
  });

  it("differs when any one field differs, so no column escapes the hash", () => {
    const original = encodingOf(binaryRow(base, "h"));
    const changes: Partial<HashedAuditFields>[] = [
      { action: "x" }, { actorId: null }, { actorLabel: "x" }, { channel: "x" }, { clientAddress: null }, { detail: {} }, { id: "0b6f3c1e-8d2a-4f7e-9a51-3c2d1e0f9a8c" },
      { occurredAt: new Date(base.occurredAt.getTime() + 1) }, { organisationId: null }, { prevHash: "e".repeat(64) }, { requestId: base.id }, { seq: 43 },
      { subjectAccountId: base.id }, { userAgent: "x" },
    ];
    for (const change of changes) expect(encodingOf(binaryRow({ ...base, ...change }, "h")), JSON.stringify(change)).not.toBe(original);
  });

  /** A chain of events 1…n, each linked and hashed as recordAudit does. */
  function chain(n: number): { event: HashedAuditFields; hash: string }[] {
    const out: { event: HashedAuditFields; hash: string }[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq += 1) {
      const event = { ...base, seq, prevHash, detail: seq % 3 ? { path: `/page/${seq}` } : { n: seq, note: "a\\b" } };
      const hash = sha256(canonicalEncoding(event));
      out.push({ event, hash });
      prevHash = hash;
    }
    return out;
  }

  function walk(data: Buffer, cuts: number[] = []): ChainWalk {
    const walker = new ChainWalk({ seq: 1, prevHash: GENESIS_HASH }, null);
    const reader = new BinaryCopyReader(walker);
    let from = 0;
    for (const cut of [...cuts, data.length]) {
      reader.push(data.subarray(from, cut));
      from = cut;
    }
    reader.end();
    return walker;
  }

  it("UAP-4.4 verifies a chain however the stream is cut into chunks", () => {
    const events = chain(4);
    const data = binaryCopy(events.map(({ event, hash }) => binaryRow(event, hash)));
    for (let cut = 0; cut <= data.length; cut += 1) {
      const result = walk(data, [cut]).result;
      expect(result.failure).toBeNull();
      expect(result.count).toBe(4);
      expect(result.last).toEqual({ seq: 4, hash: events[3]!.hash });
    }
    // One byte at a time.
    expect(walk(data, Array.from({ length: data.length - 1 }, (_, i) => i + 1)).result.count).toBe(4);
  });

  it("UAP-4.4 names the first bad event as the walk does: altered, relinked, removed", () => {
    const events = chain(5);
    const altered = events.map(({ event, hash }, i) => binaryRow(i === 2 ? { ...event, actorLabel: "forged" } : event, hash));
    expect(walk(binaryCopy(altered)).result.failure).toEqual({ seq: 3, id: base.id, problem: alteredProblem });
    const relinked = events.map(({ event, hash }, i) => binaryRow(i === 3 ? { ...event, prevHash: "0".repeat(64) } : event, hash));
    expect(walk(binaryCopy(relinked)).result.failure).toEqual({ seq: 4, id: base.id, problem: linkProblem });
    const removed = events.filter((_, i) => i !== 1).map(({ event, hash }) => binaryRow(event, hash));
    expect(walk(binaryCopy(removed)).result.failure).toEqual({ seq: 3, id: base.id, problem: removedProblem(1, 3) });
    const badHash = events.map(({ event, hash }, i) => binaryRow(event, i === 4 ? hash.toUpperCase() : hash));
    expect(walk(binaryCopy(badHash)).result).toMatchObject({ count: 4, failure: { seq: 5, problem: alteredProblem } });
  });

  it("refuses a stream that is not a binary COPY or ends mid-row", () => {
    const data = binaryCopy([binaryRow(base, "h")]);
    expect(() => new BinaryCopyReader(new ChainWalk(null, null)).push(Buffer.from("account.amended\t\\N\tSam\n".repeat(2)))).toThrow(/not a binary COPY/);
    const reader = new BinaryCopyReader(new ChainWalk(null, null));
    reader.push(data.subarray(0, data.length - 10));
    expect(() => reader.end()).toThrow(/middle of a row/);
  });
});
