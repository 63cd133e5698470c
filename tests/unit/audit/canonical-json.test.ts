import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableJson } from "@/lib/audit/canonical";
import { INJECTIONS } from "../property/hostile";

/** The canonical JSON by its definition: keys sorted at every depth, undefined members left out. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
  return `{${members.join(",")}}`;
}

const key = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "toJSON", "length", "0", "10", "9", "", "a", "ab", "B", "é", "𝄞", ...INJECTIONS),
);

describe("stableJson (the canonical JSON an audit event is hashed over)", () => {
  it("UAP-4.4 writes the same bytes as the definition for any JSON, hostile and prototype keys included", () => {
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(null, true, false, undefined, 0, -0, 1e21, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
        fc.double(),
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.array(tie("json"), { maxLength: 4 }),
        fc.dictionary(key, tie("json"), { maxKeys: 5 }),
      ),
    })).json;
    fc.assert(
      fc.property(value, (v) => {
        expect(stableJson(v)).toBe(reference(v));
      }),
      { numRuns: 3000 },
    );
  });

  it("UAP-4.4 keeps own keys Object.prototype also has, and never writes what the prototype holds", () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "b": {"toString": "own", "c": 1}, "a": [{"constructor": 2}, {}]}') as unknown;
    expect(stableJson(parsed)).toBe('{"__proto__":{"x":1},"a":[{"constructor":2},{}],"b":{"c":1,"toString":"own"}}');
    expect(stableJson({ a: {}, b: { a: 1 } })).toBe('{"a":{},"b":{"a":1}}');
  });

  it("UAP-4.4 writes values that are not plain JSON as the definition does", () => {
    const sparse = [1, , 3];
    const cases: unknown[] = [
      { when: new Date("2026-11-25T09:00:00.000Z"), n: 1 },
      { boxed: Object(5) as unknown },
      { list: sparse },
      { fn: () => 1, s: Symbol("s"), ok: "yes" },
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
      { toJSON: () => "replaced", a: 1 },
      { nested: { toJSON: "not a function" } },
    ];
    for (const value of cases) expect(stableJson(value)).toBe(reference(value));
  });
});
