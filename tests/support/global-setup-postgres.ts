import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "@/lib/db";
import { startPostgresServer } from "./postgres-server";

/** The migrated database every test database is cloned from (CREATE DATABASE … TEMPLATE). */
const TEMPLATE = "portal_template";

/**
 * Starts a throwaway PostgreSQL 15 server for the integration-postgres project, migrates
 * `portal_template` once, and tells the test files where it is; stops and removes it after.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const server = await startPostgresServer({ log: (line) => console.warn(`[integration-postgres] ${line}`) });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
    } finally {
      await admin.end();
    }
    const handle = await openDatabase({ url: server.urlFor(TEMPLATE), poolSize: 1 });
    try {
      await migrateDatabase(handle);
    } finally {
      // Nobody may stay connected to a template, or cloning it fails.
      await handle.close();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }

  project.provide("portalPostgresUrl", server.url);
  project.provide("portalPostgresTemplate", TEMPLATE);
  console.log(`[integration-postgres] PostgreSQL ${server.version} on 127.0.0.1:${server.port}, template migrated in ${Date.now() - started} ms`);
  return async () => {
    await server.stop();
  };
}
