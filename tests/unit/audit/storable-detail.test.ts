import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalEncoding, type HashedAuditFields } from "@/lib/audit/canonical";
import { auditInputSchema } from "@/lib/audit/events";
import { hostileString, hostileValue } from "../property/hostile";

/**
 * An audit event's detail is hashed as given and stored as JSON (jsonb). Verification re-encodes
 * what is stored, so the detail recordAudit hashes must already be the JSON the database keeps:
 * otherwise a Date or a sparse array in a detail would make an honest event fail verification.
 */

const event = (detail: Record<string, unknown>): HashedAuditFields => ({
  seq: 1,
  id: "0b6f3c1e-8d2a-4f7e-9a51-3c2d1e0f9a8b",
  occurredAt: new Date("2026-11-25T07:00:00.000Z"),
  action: "account.suspended",
  channel: "job",
  actorId: null,
  actorLabel: "Inactivity suspensions",
  organisationId: null,
  subjectAccountId: null,
  requestId: null,
  clientAddress: null,
  userAgent: null,
  detail,
  prevHash: "0".repeat(64),
});

/** What the database stores of a detail and gives back to verification (jsonb of JSON.stringify). */
const stored = (detail: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;

describe("audit details as stored", () => {
  it("keeps a plain, clean detail as it is", () => {
    const detail = { before: { status: "active" }, after: { status: "suspended" }, reason: "No sign-in for 60 days", count: 3, tags: ["a", "b"], none: null };
    expect(auditInputSchema.parse({ action: "account.suspended", detail }).detail).toStrictEqual(stored(detail));
  });

  it("turns a Date, a boxed number, a sparse array and a function into the JSON the database keeps", () => {
    const holes = [1, , 3];
    const detail = { at: new Date("2026-11-25T07:00:00.000Z"), n: new Number(3), holes, f: () => 1, s: "ok" };
    expect(auditInputSchema.parse({ action: "account.suspended", detail }).detail).toEqual({ at: "2026-11-25T07:00:00.000Z", n: 3, holes: [1, null, 3], s: "ok" });
  });

  it("replaces NUL and unpaired surrogates, in keys and values, at any depth", () => {
    const detail = { "k\u0000": ["a\uD800b", { deep: "c\uDC00" }], when: new Date(0) };
    expect(auditInputSchema.parse({ action: "account.suspended", detail }).detail).toEqual({ "k\uFFFD": ["a\uFFFDb", { deep: "c\uFFFD" }], when: "1970-01-01T00:00:00.000Z" });
  });

  it("hashes any detail exactly as verification will re-encode what is stored", () => {
    fc.assert(
      fc.property(fc.dictionary(hostileString, hostileValue), (raw) => {
        let detail: Record<string, unknown>;
        try {
          detail = auditInputSchema.parse({ action: "account.suspended", detail: raw }).detail;
        } catch {
          return; // a BigInt cannot be stored as JSON: refused, nothing recorded
        }
        expect(canonicalEncoding(event(detail))).toBe(canonicalEncoding(event(stored(detail))));
      }),
      { numRuns: 2_000 },
    );
  });
});
