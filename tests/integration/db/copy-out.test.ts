import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { poolOf } from "@/lib/audit/verify-chain";
import { copyOut } from "@/lib/db/copy-out";
import { createTestDatabase, databaseKind, type TestDatabase } from "@/tests/support/test-database";

/**
 * copyOut (lib/db/copy-out.ts) against the real server: the rows arrive byte for byte over many
 * socket chunks, a COPY the server aborts midway rejects with the server's error, a consumer's
 * error rejects the COPY — and in every case the connection answers the next query. PGlite has
 * no node-postgres connection: verification reads it with a cursor instead (verify-chain.ts).
 */

let handle: TestDatabase;
beforeEach(async () => {
  handle = await createTestDatabase();
});
afterEach(async () => {
  await handle?.dispose();
});

/** The text COPY writes for `select g, repeat(chr(65 + g % 26), g % 700) from generate_series(1, n) g`. */
function expectedRows(n: number): string {
  let text = "";
  for (let g = 1; g <= n; g += 1) text += `${g}\t${String.fromCharCode(65 + (g % 26)).repeat(g % 700)}\n`;
  return text;
}

describe(`COPY TO STDOUT read off the connection (${databaseKind()})`, () => {
  if (databaseKind() === "pglite") {
    it("on PGlite there is no node-postgres pool to COPY from: verification walks a cursor", () => {
      expect(poolOf(handle.db)).toBeNull();
    });
    return;
  }

  const withClient = async <T>(work: (client: import("pg").PoolClient) => Promise<T>): Promise<T> => {
    const client = await poolOf(handle.db)!.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };

  it("hands on every row's bytes, over many socket chunks, and the connection answers the next query", async () => {
    await withClient(async (client) => {
      const chunks: Buffer[] = [];
      await copyOut(client, "copy (select g, repeat(chr(65 + g % 26), g % 700) from generate_series(1, 20000) g) to stdout", (bytes) => chunks.push(Buffer.from(bytes)));
      expect(chunks.length).toBeGreaterThan(20);
      expect(Buffer.concat(chunks).toString("latin1")).toBe(expectedRows(20000));
      expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    });
  });

  it("rejects with the server's error when the COPY fails midway, and the connection answers the next query", async () => {
    await withClient(async (client) => {
      let bytes = 0;
      const failed = copyOut(client, "copy (select 1 / (g - 15000) from generate_series(1, 20000) g) to stdout", (chunk) => (bytes += chunk.length));
      await expect(failed).rejects.toThrow(/division by zero/);
      expect(bytes).toBeGreaterThan(0);
      expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    });
  });

  it("rejects with the consumer's error after reading the rest, and the connection answers the next query", async () => {
    await withClient(async (client) => {
      let calls = 0;
      const failed = copyOut(client, "copy (select g from generate_series(1, 100000) g) to stdout", () => {
        calls += 1;
        throw new Error("the reader refused the stream");
      });
      await expect(failed).rejects.toThrow("the reader refused the stream");
      expect(calls).toBe(1);
      expect((await client.query<{ n: string }>("select count(*)::text as n from generate_series(1, 3)")).rows).toEqual([{ n: "3" }]);
    });
  });

  it("rejects a statement that is not a COPY TO STDOUT with the server's error", async () => {
    await withClient(async (client) => {
      await expect(copyOut(client, "copy no_such_table to stdout", () => undefined)).rejects.toThrow(/no_such_table/);
      expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    });
  });
});
