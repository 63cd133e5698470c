import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalDetailJson } from "@/lib/audit/canonical";
import { canonicalJsonbBytes } from "@/lib/audit/jsonb-canonical";
import { jsonbText, storedJson } from "@/tests/support/binary-copy";
import { INJECTIONS } from "../property/hostile";

/** The fast path's answer for jsonb's text: the canonical JSON, or null when it leaves the text to the careful path. */
function fast(text: string): string | null {
  const src = Buffer.from(text, "utf8");
  const out = Buffer.alloc(src.length + 16, 0xaa);
  const end = canonicalJsonbBytes(src, 0, src.length, out, 8);
  return end < 0 ? null : out.toString("utf8", 8, end);
}

describe("canonical JSON from jsonb's text", () => {
  it("UAP-4.4 takes the common details and writes canonicalDetailJson's bytes", () => {
    const common: unknown[] = [
      { path: "/portal/requests/new/new_user" },
      { policy: "acceptable-use", version: "2026-04" },
      { before: { role: "a", list: [1, 2, null, true, false] }, after: { role: "b" }, n: -12, zz: "ü ✓ 𝄞" },
      {},
      { a: {}, b: [], "10": 1, "9": 2, "": "empty key", "~": "tilde", A: "upper" },
      JSON.parse('{"__proto__": 1, "constructor": "x"}'),
    ];
    for (const value of common) {
      const text = jsonbText(JSON.parse(JSON.stringify(value)));
      expect(fast(text), text).toBe(canonicalDetailJson(text));
    }
  });

  it("UAP-4.4 leaves to the careful path what it cannot be sure of", () => {
    for (const text of [
      '{"n": 1.5}',
      '{"n": 1000000000000000}', // 16 digits
      '{"n": 1e+21}',
      '{"n": -0}',
      '{"n": 01}',
      '{"s": "a\\"b"}',
      '{"s": "tab\\t"}',
      '{"ü": 1}',
      '{"a\\nb": 1}',
      `{"a": ${"[".repeat(40)}1${"]".repeat(40)}}`,
      '{"a": 1,"b": 2}', // not jsonb's spacing
      '{"a": 1} ',
      '{"a": tru}',
      '{"a": "unterminated}',
    ]) {
      expect(fast(text), text).toBeNull();
    }
  });

  it("UAP-4.4 agrees with canonicalDetailJson on arbitrary JSON, hostile keys and strings included", () => {
    const key = fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ maxLength: 4 }), fc.constantFrom("__proto__", "a", "ab", "b", "10", "9", ...INJECTIONS));
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(null, true, false),
        fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 8 })),
        fc.array(tie("json"), { maxLength: 4 }),
        fc.dictionary(key, tie("json"), { maxKeys: 5 }),
      ),
    })).json;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (detail) => {
        // As jsonb keeps it: valid UTF-8 strings and keys.
        const text = jsonbText(storedJson(JSON.parse(JSON.stringify(detail))));
        const answer = fast(text);
        if (answer !== null) expect(answer).toBe(canonicalDetailJson(text));
      }),
      { numRuns: 2000 },
    );
  });
});
