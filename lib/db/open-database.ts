import type { Env } from "../env";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import pg from "pg";
import { acquireDataDirLock } from "./data-dir-lock";
import * as schema from "./schema";
import type { Database, DriverName } from "./types";

export interface DatabaseHandle {
  db: Database;
  driver: DriverName;
  /** Where the data lives: the folder (PGlite) or the server's host and database name. */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent, the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** A PGlite data dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File;
  /** Pool size for node-postgres. */
  poolSize?: number;
}

/** The data folder of the embedded default: PORTAL_DATA_DIR, else ./.portal-data. */
export function defaultDataDir(env: Env = process.env): string {
  return path.resolve(env.PORTAL_DATA_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), ".portal-data"));
}

/**
 * The one database factory. PGlite in a local folder when no URL is given (the embedded
 * default), node-postgres with a URL, and Vercel Postgres when running on Vercel.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.url) {
    if (process.env.VERCEL && process.env.POSTGRES_URL && options.url === process.env.POSTGRES_URL) {
      const { sql } = await import("@vercel/postgres");
      const { drizzle: drizzleVercel } = await import("drizzle-orm/vercel-postgres");
      const db = drizzleVercel(sql, { schema }) as unknown as Database;
      return { db, driver: "vercel", location: "Vercel Postgres", close: async () => sql.end() };
    }
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
    pool.on("error", () => undefined);
    // Nor may a checked-out one's: the pool stops listening to a client it lends out, and a
    // connection that dies between two statements of a transaction then emits an 'error' nobody
    // hears — an uncaught exception that would take the server down. The statement in flight
    // (or the next) fails instead, the transaction rolls back, and the broken client is not
    // returned to the pool (tests/integration/faults/database-restart.test.ts).
    pool.on("connect", (client) => client.on("error", () => undefined));
    const db = drizzlePostgres(pool, { schema }) as unknown as Database;
    const url = new URL(options.url);
    return { db, driver: "postgres", location: `${url.hostname}:${url.port || 5432}${url.pathname}`, close: () => pool.end() };
  }

  const dataDir = options.dataDir ?? defaultDataDir();
  const inMemory = dataDir.startsWith("memory://");
  const release = inMemory ? () => undefined : acquireDataDirLock(dataDir);
  try {
    // pg_trgm: the trigram indexes behind the audit log's person search (migration 0014).
    const client = await PGlite.create(inMemory ? dataDir : dataDir, { extensions: { pg_trgm }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    return {
      db,
      driver: "pglite",
      location: inMemory ? "memory" : dataDir,
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** The URL the environment names: DATABASE_URL, or POSTGRES_URL on Vercel. */
export function databaseUrlFromEnv(env: Env = process.env): string | undefined {
  return env.DATABASE_URL?.trim() || (env.VERCEL ? env.POSTGRES_URL?.trim() : undefined) || undefined;
}
