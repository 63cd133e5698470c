import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { DatabaseHandle } from "./open-database";
import type { Schema } from "./types";

/** The SQL migrations drizzle-kit generated, applied in order and recorded in drizzle's own table. */
export function migrationsFolder(): string {
  return process.env.PORTAL_MIGRATIONS_DIR ?? path.join(process.cwd(), "drizzle");
}

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const migrationsFolderPath = migrationsFolder();
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase<Schema>, { migrationsFolder: migrationsFolderPath });
  } else {
    // Vercel Postgres speaks the same protocol; its drizzle driver shares node-postgres's migrator shape.
    await migratePostgres(handle.db as unknown as NodePgDatabase<Schema>, { migrationsFolder: migrationsFolderPath });
  }
}
