import type { Env } from "../env";
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import { getConfig, type PortalConfig } from "../config";
import { databaseUrlFromEnv, defaultDataDir, migrateDatabase, openDatabase, type DatabaseHandle } from "../db";
import { loadSecretsKey } from "../auth/secrets-key";
import { syncSecurityRoles } from "../accounts/sync-security-roles";
import { isDatabaseEmpty, seedDemo, type DemoSummary } from "../demo/seed-demo";

/** Everything a surface (web, CLI, bot, job) needs: configuration, database, clock, key. */
export interface Portal {
  config: PortalConfig;
  database: DatabaseHandle;
  clock: Clock;
  secretsKey: Buffer;
  /** The portal's public address, for links in emails (PORTAL_URL). */
  baseUrl: string;
  /** Set when this start seeded the demo data, so the caller can print how to sign in. */
  demo?: DemoSummary;
  close(): Promise<void>;
}

export interface OpenPortalOptions {
  env?: Env;
  /** Migrate a PostgreSQL server too (the embedded default always migrates itself). */
  migrate?: boolean;
  /** Seed demo data when the database is empty: default on the embedded database only. */
  seedDemoWhenEmpty?: boolean;
  clock?: Clock;
}

/**
 * Opens the portal's database as the environment says: DATABASE_URL (a PostgreSQL server)
 * or the embedded PGlite folder, which is migrated, given its roles and demo data on first start.
 */
export async function openPortal(options: OpenPortalOptions = {}): Promise<Portal> {
  const env = options.env ?? process.env;
  const config = getConfig();
  const url = databaseUrlFromEnv(env);
  const dataDir = url ? undefined : defaultDataDir(env);
  const secretsKey = loadSecretsKey({ env, dataDir });
  const database = await openDatabase(url ? { url } : { dataDir });
  const clock = options.clock ?? systemClock;
  try {
    if (!url || options.migrate) await migrateDatabase(database);
    await syncSecurityRoles(database.db, config);
    const baseUrl = (env.PORTAL_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
    let demo: DemoSummary | undefined;
    if ((options.seedDemoWhenEmpty ?? !url) && (await isDatabaseEmpty(database.db))) {
      demo = await seedDemo({ db: database.db, config, clock, secretsKey, baseUrl });
    }
    return { config, database, clock, secretsKey, baseUrl, demo, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
