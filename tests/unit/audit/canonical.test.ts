import { describe, expect, it } from "vitest";
import { canonicalEncoding, canonicalEncodingOfStored, hashEvent, type HashedAuditFields, type StoredAuditText } from "@/lib/audit/canonical";
import { sampleAuditEvent } from "@/tests/support/audit-event";

/** What PostgreSQL prints for a row (verifyAuditChain's query): every column as text, jsonb reordered. */
function asStored(event: HashedAuditFields, detailText = JSON.stringify(event.detail)): StoredAuditText {
  return {
    seq: String(event.seq),
    id: event.id,
    occurredAtMs: String(event.occurredAt.getTime()),
    action: event.action,
    channel: event.channel,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    organisationId: event.organisationId,
    subjectAccountId: event.subjectAccountId,
    requestId: event.requestId,
    clientAddress: event.clientAddress,
    userAgent: event.userAgent,
    detail: detailText,
    prevHash: event.prevHash,
  };
}

const base = sampleAuditEvent;

describe("the canonical encoding itself", () => {
  it("UAP-4.4 is fixed, byte for byte: a chain written before any change to the encoders still verifies", () => {
    expect(canonicalEncoding(base)).toBe(
      '{"action":"account.amended","actorId":"5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d","actorLabel":"Sam Staff (operator)","channel":"web","clientAddress":"192.0.2.10","detail":{"after":{"role":"b"},"before":{"role":"a"}},"id":"0b6f3c1e-8d2a-4f7e-9a51-3c2d1e0f9a8b","occurredAt":"2026-11-24T09:30:00.123Z","organisationId":"7c6b5a49-3827-4165-9f8e-7d6c5b4a3928","prevHash":"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","requestId":null,"seq":42,"subjectAccountId":null,"userAgent":"Mozilla/5.0"}',
    );
    expect(hashEvent(base)).toBe("683eb1f66472e9f840169fe14fe1c1ae7534d48220e9acbd18803743bf34da9c");
  });
});

describe("the stored-row canonical encoder", () => {
  it("UAP-4.4 writes the very bytes canonicalEncoding writes, so fast verification checks the same hashes", () => {
    expect(canonicalEncodingOfStored(asStored(base))).toBe(canonicalEncoding(base));
  });

  it.each<[string, Partial<HashedAuditFields>, string?]>([
    ["every nullable column null", { actorId: null, organisationId: null, clientAddress: null, userAgent: null }],
    ["every nullable column set", { subjectAccountId: "11111111-2222-4333-8444-555555555555", requestId: "66666666-7777-4888-9999-000000000000" }],
    ["quotes, backslashes, control characters and non-ASCII text", { actorLabel: 'Zoë "the boss" \\ O\'Neil\n\t\u0001\u2028', userAgent: "<script>alert(1)</script>" }],
    ["keys in jsonb's order (length first), nested and in arrays", { detail: { zz: 1, a: { y: [3, { d: 1, c: null }], b: "x" }, ab: true } }, '{"a": {"b": "x", "y": [3, {"c": null, "d": 1}]}, "ab": true, "zz": 1}'],
    ["an empty detail", { detail: {} }, "{}"],
    ["numbers as jsonb prints them", { detail: { n: 1.5, big: 12345678901234, neg: -0.25 } }, '{"n": 1.5, "big": 12345678901234, "neg": -0.25}'],
    ["a time on a whole second and a large sequence number", { occurredAt: new Date("2027-01-01T00:00:00.000Z"), seq: 9_007_199_254 }],
    ["a time before 1970", { occurredAt: new Date("1969-12-31T23:59:59.999Z") }],
  ])("matches canonicalEncoding with %s", (_name, change, detailText) => {
    const event = { ...base, ...change };
    expect(canonicalEncodingOfStored(asStored(event, detailText))).toBe(canonicalEncoding(event));
  });

  it("differs when any one field differs, so no column escapes the hash", () => {
    const reference = canonicalEncodingOfStored(asStored(base));
    const stored = asStored(base);
    for (const key of Object.keys(stored) as (keyof StoredAuditText)[]) {
      const changed = { ...stored, [key]: key === "seq" ? "43" : key === "occurredAtMs" ? String(base.occurredAt.getTime() + 1) : key === "detail" ? '{"x": 1}' : "changed" };
      expect(canonicalEncodingOfStored(changed), key).not.toBe(reference);
    }
  });
});
