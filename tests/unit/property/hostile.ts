import fc from "fast-check";
import { AppError } from "@/lib/errors";

/**
 * Hostile input for property tests at the zod boundaries (issue 11, "bad input at every
 * boundary"): what a browser, a mail server, Slack or an operator's file could send on purpose
 * or by accident. Shared by tests/unit/property/** and tests/integration/fuzz/**.
 */

/** Strings an attacker tries first: injection, markup, control and direction characters. */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE accounts; --",
  "1; SELECT pg_sleep(5)",
  "\\x27 UNION SELECT password_hash FROM accounts --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "{{7*7}}${7*7}<%= 7*7 %>",
  "../../../../etc/passwd",
  "%00%0d%0aSet-Cookie:x=1",
  "\u0000",
  "\u202Egnp.exe",
  "\uFEFF\u200B\u200D",
  "\uD800", // a lone surrogate: not valid UTF-16
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e400",
  "9007199254740993",
  "  ",
  "=cmd|'/C calc'!A0", // spreadsheet formula injection
];

/** Overlong and invalid UTF-8 byte sequences ("/" as C0 AF, NUL as C0 80, a truncated sequence, a bare continuation byte). */
export const BAD_UTF8: readonly Uint8Array[] = [
  Uint8Array.from([0xc0, 0xaf]),
  Uint8Array.from([0xe0, 0x80, 0xaf]),
  Uint8Array.from([0xf0, 0x80, 0x80, 0xaf]),
  Uint8Array.from([0xc0, 0x80]),
  Uint8Array.from([0xe2, 0x82]),
  Uint8Array.from([0x80]),
  Uint8Array.from([0xff, 0xfe, 0xfd]),
  Uint8Array.from([0xed, 0xa0, 0x80]), // an encoded surrogate
];

/** The bad byte sequences as a receiving server decodes them (lossily). */
export const BAD_UTF8_STRINGS = BAD_UTF8.map((b) => new TextDecoder("utf-8").decode(b) + "/" + Buffer.from(b).toString("latin1"));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS, ...BAD_UTF8_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.nat({ max: 200_000 }).map((n) => "A".repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 10 })).map(([a, b]) => b + a + b) },
);

/** Any JavaScript value: the wrong type for every field, prototype-polluting keys, dates, big ints. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withDate: true,
      // No null-prototype objects: nothing that reaches a boundary can be one (FormData gives
      // strings and files, JSON.parse and the server-action decoder give plain objects), and
      // zod's length checks throw a TypeError on `{ length: Object.create(null) }`.
      withNullPrototype: false,
      withSparseArray: true,
      withBoxedValues: true,
      key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "toString", "then")),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, Number.NaN, Infinity, -0, true, [], {}, [[[]]], Symbol("x")) },
);

/** JSON nested `depth` levels deep, as a value and as text. */
export function deepJson(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Deeply nested JSON as text, built without recursion (JSON.stringify itself would overflow). */
export function deepJsonText(depth: number): string {
  return '{"a":['.repeat(depth) + '"bottom"' + "]}".repeat(depth);
}

/** A record with the given field names, each holding a hostile value (or missing). */
export function hostileRecord(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((f) => [f, hostileValue])), { requiredKeys: [] });
}

/** Field names plus hostile extras, for a form that may get fields it never asked for. */
export function hostileForm(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(hostileRecord(fields), fc.dictionary(fc.constantFrom("__proto__", "constructor", "type", "id", "organisationId", "x"), hostileValue)).map(([a, b]) => ({ ...b, ...a }));
}

/** Runs `work`: passes when it returns or throws a validation AppError; rethrows anything else. */
export function expectOnlyValidationError(work: () => unknown): "accepted" | "refused" {
  try {
    work();
    return "accepted";
  } catch (error) {
    if (error instanceof AppError && error.code === "validation") {
      expectPersonMessage(error);
      return "refused";
    }
    throw error;
  }
}

export async function expectOnlyValidationErrorAsync(work: () => Promise<unknown>): Promise<"accepted" | "refused"> {
  try {
    await work();
    return "accepted";
  } catch (error) {
    if (error instanceof AppError && error.code === "validation") {
      expectPersonMessage(error);
      return "refused";
    }
    throw error;
  }
}

/** A refusal a person can act on: a message (or a field message) in words, no stack, no raw input echoed as code. */
export function expectPersonMessage(error: AppError): void {
  const messages = [error.userMessage, ...Object.values(error.fieldErrors)];
  if (!messages.some((m) => typeof m === "string" && m.trim().length > 0)) throw new Error(`refusal without a message for a person: ${error.message}`);
  for (const m of messages) {
    if (/\bat .*\(.*:\d+:\d+\)|TypeError|ReferenceError|undefined is not|Cannot read propert/.test(m)) throw new Error(`refusal leaks a fault: ${m}`);
  }
}

/** Runs count scaled by FUZZ_RUNS (default 1 = the numbers written in each test). */
export function runs(n: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? "1");
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
