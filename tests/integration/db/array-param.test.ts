import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db";
import { arrayParamsFor } from "@/lib/db/array-param";
import { createTestDatabase, databaseKind, type TestDatabase } from "@/tests/support/test-database";

/**
 * The batch writers' array parameters read back by the database exactly as given: binary
 * arrays on PostgreSQL (node-postgres), text literals on PGlite — each file runs on both.
 */

let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
});

afterAll(async () => {
  await handle?.dispose();
});

const hostile = [
  "plain",
  "",
  'double "quotes" and \\ backslashes \\"',
  "{braces},commas,NULL",
  "NULL",
  "  leading and trailing spaces  ",
  "new\nline\ttab\r",
  "é ü ß — “curly” ‘quotes’ 漢字 🙂 👩🏽‍⚕️",
  "x".repeat(10_000),
];

describe("array parameters", () => {
  it("uses binary arrays on PostgreSQL and text literals on PGlite", () => {
    const encoded = arrayParamsFor(handle.db).text(["a"]);
    expect(Buffer.isBuffer(encoded)).toBe(databaseKind() === "postgres");
  });

  it("text arrays come back element for element, hostile text and nulls included, in order", async () => {
    const values = [...hostile, null, ...hostile.slice().reverse()];
    const rows = await queryRows<{ value: string | null; n: number }>(
      handle.db,
      sql`select value, n::int from unnest(${arrayParamsFor(handle.db).text(values)}::text[]) with ordinality as t(value, n) order by n`,
    );
    expect(rows.map((r) => r.value)).toEqual(values);
  });

  it("uuid, int8 and boolean arrays come back as given, unnested together", async () => {
    const arrays = arrayParamsFor(handle.db);
    const ids = [randomUUID(), null, randomUUID().toUpperCase(), "00000000-0000-0000-0000-000000000000"];
    const numbers = [1, null, Number.MAX_SAFE_INTEGER, -42];
    const flags = [true, false, null, true];
    const rows = await queryRows<{ id: string | null; num: string | null; flag: boolean | null }>(
      handle.db,
      sql`select id::text, num::text, flag from unnest(${arrays.uuid(ids)}::uuid[], ${arrays.int8(numbers)}::bigint[], ${arrays.bool(flags)}::boolean[]) as t(id, num, flag)`,
    );
    expect(rows.map((r) => r.id)).toEqual(ids.map((id) => id?.toLowerCase() ?? null));
    expect(rows.map((r) => (r.num === null ? null : Number(r.num)))).toEqual(numbers);
    expect(rows.map((r) => r.flag)).toEqual(flags);
  });

  it("an empty array is an empty array", async () => {
    const arrays = arrayParamsFor(handle.db);
    const [row] = await queryRows<{ n: number; m: number }>(
      handle.db,
      sql`select cardinality(${arrays.text([])}::text[])::int as n, cardinality(${arrays.uuid([])}::uuid[])::int as m`,
    );
    expect(row).toEqual({ n: 0, m: 0 });
  });

  it("a value that is not a UUID or a whole number is refused before anything is sent", () => {
    const arrays = arrayParamsFor(handle.db);
    expect(() => arrays.int8([1.5])).toThrow(/whole number/);
    // On PGlite the database refuses a malformed uuid itself; the binary encoder must refuse it first.
    if (databaseKind() === "postgres") {
      for (const bad of ["not-a-uuid", `${randomUUID()}x`, randomUUID().replace(/-/g, ""), "0000000g-0000-0000-0000-000000000000"]) {
        expect(() => arrays.uuid([bad])).toThrow(/not a UUID/);
      }
    }
  });
});
