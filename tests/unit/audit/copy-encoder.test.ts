import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalEncoding, type HashedAuditFields } from "@/lib/audit/canonical";
import { CopyRowEncoder } from "@/lib/audit/copy-encoder";
import { unescapeCopyText } from "@/lib/audit/copy-text";
import { sampleAuditEvent } from "@/tests/support/audit-event";

/** A field as COPY … TO STDOUT (text format) prints it: \N for NULL, backslash escapes. */
function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\b\f\n\r\t\v]/g, (c) => ({ "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" })[c]!);
}

/** The row verification's COPY query prints for an event (columns in the canonical key order, then the hash). */
function copyLine(event: HashedAuditFields, detailText: string, hash: string): string {
  return [
    event.action, event.actorId, event.actorLabel, event.channel, event.clientAddress, detailText, event.id,
    String(event.occurredAt.getTime()), event.organisationId, event.prevHash, event.requestId, String(event.seq),
    event.subjectAccountId, event.userAgent, hash,
  ].map(copyField).join("\t") + "\n";
}

/** The UTF-8 bytes of COPY's output, one latin1 character each, as the COPY reader hands them to the encoder. */
const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const base = sampleAuditEvent;

const cases: [string, Partial<HashedAuditFields>, string?][] = [
  ["every nullable column null", { actorId: null, organisationId: null, clientAddress: null, userAgent: null }],
  ["every nullable column set", { subjectAccountId: "11111111-2222-4333-8444-555555555555", requestId: "66666666-7777-4888-9999-000000000000" }],
  ["quotes, backslashes, tabs, newlines, control characters and non-ASCII text", { actorLabel: 'Zoë "the boss" \\ O\'Neil\n\t\r\u0001\b\f\v\u2028 𝄞', userAgent: "<script>alert(1)</script>\\N" }],
  ["a text that reads \\N", { actorLabel: "\\N", userAgent: "N" }],
  ["keys in jsonb's order (length first), nested and in arrays", { detail: { zz: 1, a: { y: [3, { d: 1, c: null }], b: "x" }, ab: true } }, '{"a": {"b": "x", "y": [3, {"c": null, "d": 1}]}, "ab": true, "zz": 1}'],
  ["a detail with escapes", { detail: { note: 'a "quoted"\\ word\n\ttab', ü: "ü" } }, '{"ü": "ü", "note": "a \\"quoted\\"\\\\ word\\n\\ttab"}'],
  ["an empty detail", { detail: {} }, "{}"],
  ["numbers as jsonb prints them", { detail: { n: 1.5, big: 12345678901234, neg: -0.25 } }, '{"n": 1.5, "big": 12345678901234, "neg": -0.25}'],
  ["a time on a whole second and a large sequence number", { occurredAt: new Date("2027-01-01T00:00:00.000Z"), seq: 9_007_199_254 }],
  ["a time just before midnight", { occurredAt: new Date("2026-12-31T23:59:59.999Z") }],
  ["a time before 1970", { occurredAt: new Date("1969-12-31T23:59:59.999Z") }],
  ["a time long before 1970", { occurredAt: new Date("1901-02-03T04:05:06.007Z") }],
  ["a sequence number beyond 16 digits", { seq: 12_345_678_901_234_567 }],
];

describe("the COPY row encoder", () => {
  it.each(cases)("UAP-4.4 hashes the very bytes canonicalEncoding writes, with %s", (_name, change, detailText) => {
    const event = { ...base, ...change };
    const hash = sha256(canonicalEncoding(event));
    const line = latin1(copyLine(event, detailText ?? JSON.stringify(event.detail), hash));
    const encoder = new CopyRowEncoder();
    encoder.encode(line, 0);
    expect({ seq: encoder.seq, id: encoder.id, prevHash: encoder.prevHash, hash: encoder.hash, computed: encoder.computed }).toEqual({ seq: event.seq, id: event.id, prevHash: event.prevHash, hash, computed: hash });
    expect(encoder.next).toBe(line.length);
  });

  it("UAP-4.4 encodes rows one after another in one buffer, the remembered detail and day included", () => {
    const events = cases.map(([, change], i) => ({ ...base, ...change, seq: i + 1 }));
    const lines = events.map((event) => copyLine(event, JSON.stringify(event.detail), sha256(canonicalEncoding(event))));
    const data = latin1(lines.join("") + lines.join(""));
    const encoder = new CopyRowEncoder();
    let at = 0;
    const computed: string[] = [];
    while (at < data.length) {
      encoder.encode(data, at);
      computed.push(encoder.computed);
      at = encoder.next;
    }
    const expected = events.map((event) => sha256(canonicalEncoding(event)));
    expect(computed).toEqual([...expected, ...expected]);
  });

  it("differs when any one field differs, so no column escapes the hash", () => {
    const hash = sha256(canonicalEncoding(base));
    const line = copyLine(base, JSON.stringify(base.detail), hash);
    const fields = line.slice(0, -1).split("\t");
    for (let i = 0; i < fields.length - 1; i += 1) {
      const changed = [...fields];
      changed[i] = i === 5 ? '{"before": {"role": "a"}, "after": {"role": "c"}}' : i === 7 || i === 11 ? String(Number(fields[i]) + 1) : `${fields[i]}x`;
      const encoder = new CopyRowEncoder();
      encoder.encode(latin1(`${changed.join("\t")}\n`), 0);
      expect(encoder.computed, `column ${i}`).not.toBe(hash);
    }
  });

  it("refuses a row with too few columns instead of reading past it", () => {
    expect(() => new CopyRowEncoder().encode("account.amended\t\\N\tSam\n", 0)).toThrow(/too few columns/);
    expect(() => new CopyRowEncoder().encode("account.amended\t\\N\tSam", 0)).toThrow(/without its end/);
  });

  it("undoes COPY's text escapes", () => {
    expect(unescapeCopyText("a\\\\b\\tc\\nd\\re\\bf\\fg\\vh")).toBe("a\\b\tc\nd\re\bf\fg\vh");
    expect(unescapeCopyText("plain")).toBe("plain");
    expect(unescapeCopyText("trailing\\")).toBe("trailing\\");
  });
});
