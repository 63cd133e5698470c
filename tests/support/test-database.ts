import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";

/**
 * Fresh, migrated, empty databases for integration tests, of the kind the vitest project
 * selects (PORTAL_TEST_DB=pglite|postgres). Every integration test file runs on both.
 *
 *   const handle = await createTestDatabase();   // in beforeAll / beforeEach
 *   await handle.dispose();                      // in afterAll / afterEach
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (global-setup-pglite.ts). */
    portalPgliteTemplate: string;
    /** Superuser URL of the throwaway server's maintenance database (global-setup-postgres.ts). */
    portalPostgresUrl: string;
    /** Name of the migrated database each test database is cloned from. */
    portalPostgresTemplate: string;
  }
}

export type TestDatabaseKind = "pglite" | "postgres";

export type TestDatabase = DatabaseHandle & {
  kind: TestDatabaseKind;
  /**
   * Runs SQL text (several statements allowed) as a superuser, outside the application's
   * connection pool: for tampering tests that must go around the app and its triggers.
   * Returns the rows of the last statement.
   */
  superuserExecute(sqlText: string): Promise<Record<string, unknown>[]>;
  /** Closes the connections and removes the database. */
  dispose(): Promise<void>;
};

/** Which database this test run uses; `it.runIf(databaseKind() === "postgres")` for server-only cases. */
export function databaseKind(): TestDatabaseKind {
  const kind = process.env.PORTAL_TEST_DB ?? "pglite";
  if (kind !== "pglite" && kind !== "postgres") {
    throw new Error(`PORTAL_TEST_DB must be "pglite" or "postgres", not "${kind}"`);
  }
  return kind;
}

let pgliteTemplate: Promise<Blob> | undefined;

/** A fresh migrated empty database; about 0.5 s on PGlite, 0.1 s on PostgreSQL. */
export async function createTestDatabase(): Promise<TestDatabase> {
  return databaseKind() === "postgres" ? createPostgresDatabase() : createPgliteDatabase();
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  pgliteTemplate ??= readFile(inject("portalPgliteTemplate")).then((bytes) => new Blob([bytes], { type: "application/x-gzip" }));
  const handle = await openDatabase({ dataDir: "memory://", loadDataDir: await pgliteTemplate });
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  let disposed = false;
  return {
    ...handle,
    kind: "pglite",
    // PGlite has a single user, a superuser, and a single session: the app's own.
    async superuserExecute(sqlText) {
      try {
        const results = await client.exec(sqlText);
        return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
      } catch (error) {
        // A failed statement inside BEGIN … would leave the shared session in an aborted
        // transaction; roll it back (a warning, not an error, when none is open).
        await client.exec("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await handle.close();
    },
  };
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("portalPostgresUrl");
  const template = inject("portalPostgresTemplate");
  const name = `portal_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withClient(adminUrl, async (admin) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // 55006: the template is briefly busy (another file is cloning it); try again.
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = withDatabase(adminUrl, name);
  const handle = await openDatabase({ url, poolSize: 8 });
  let disposed = false;
  return {
    ...handle,
    kind: "postgres",
    async superuserExecute(sqlText) {
      return withClient(url, async (client) => {
        // Several statements in one simple query run in one implicit transaction unless they
        // say BEGIN/COMMIT themselves; a client closed mid-transaction rolls it back.
        const result = (await client.query(sqlText)) as unknown as pg.QueryResult | pg.QueryResult[];
        const last = Array.isArray(result) ? result.at(-1) : result;
        return (last?.rows ?? []) as Record<string, unknown>[];
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await handle.close();
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** The error a database raised, found through the wrappers (drizzle's DrizzleQueryError keeps it as `cause`). */
export interface SqlError {
  /** The SQLSTATE, e.g. 42501 (refused by a trigger), 23505 (unique), 23502 (not null), 23514 (check). */
  code: string;
  message: string;
  constraint?: string;
  column?: string;
}

export function sqlErrorFrom(error: unknown): SqlError | undefined {
  for (let current = error, depth = 0; current && depth < 10; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; constraint?: unknown; column?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        message: String(candidate.message ?? ""),
        constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
        column: typeof candidate.column === "string" ? candidate.column : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

/** Awaits something the database must refuse and returns its error; fails the test if it succeeded. */
export async function refusal(work: PromiseLike<unknown>): Promise<SqlError> {
  try {
    await work;
  } catch (error) {
    const found = sqlErrorFrom(error);
    if (found) return found;
    throw error;
  }
  throw new Error("expected the database to refuse this, but it succeeded");
}
