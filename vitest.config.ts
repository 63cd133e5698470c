import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { postgresAvailability } from "./tests/support/postgres-server.js";

/**
 * Three projects:
 *   unit                  tests/unit/**       pure rules, no database
 *   integration-pglite    tests/integration/** on an in-memory PGlite per file (from a migrated dump)
 *   integration-postgres  tests/integration/** on a throwaway PostgreSQL 15 server, a database per file
 *
 *   npx vitest run --project unit
 *   npx vitest run --project 'integration-*'          (both databases)
 *   npx vitest run --project integration-postgres
 *
 * Under CI (CI=true) the PostgreSQL project always runs, so a missing server fails the run;
 * elsewhere it is left out, with the reason printed, when the server binaries are missing.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const ci = process.env.CI === "true" || process.env.CI === "1";

/** A fixed 32-byte key (base64) so sealed values are reproducible in tests; never used outside them. */
const TEST_SECRETS_KEY = "cHJvdmlkZXItcG9ydGFsLXRlc3RzLWZpeGVkLWtleSE=";

const integration = (kind: "pglite" | "postgres"): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name: `integration-${kind}`,
    include: ["tests/integration/**/*.test.ts"],
    // A file about PostgreSQL alone (a server restarted under load) is named *.postgres.test.ts.
    exclude: ["**/node_modules/**", "tests/.tmp/**", ...(kind === "postgres" ? [] : ["tests/integration/**/*.postgres.test.ts"])],
    globalSetup: [`tests/support/global-setup-${kind}.ts`],
    env: { PORTAL_TEST_DB: kind },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const postgres = postgresAvailability();
const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 10_000 },
  },
  integration("pglite"),
];
if (postgres.ok || ci) {
  projects.push(integration("postgres"));
} else {
  // The config is evaluated more than once per run; say it once.
  const flags = globalThis as { portalPostgresSkipWarned?: boolean };
  if (!flags.portalPostgresSkipWarned && !process.env.VITEST_WORKER_ID) {
    flags.portalPostgresSkipWarned = true;
    console.warn(`\n[vitest] SKIPPING integration-postgres: ${postgres.reason}\n`);
  }
}

export default defineConfig({
  resolve: {
    alias: [{ find: /^@\//, replacement: `${root}/` }],
  },
  test: {
    root,
    environment: "node",
    // Integration files mostly wait on a database; two workers keep a 2-core machine busy.
    maxWorkers: Math.max(2, Math.min(4, os.availableParallelism())),
    teardownTimeout: 30_000,
    exclude: ["**/node_modules/**", "tests/.tmp/**", "tests/e2e/**", ".next/**"],
    env: {
      PORTAL_SECRETS_KEY: TEST_SECRETS_KEY,
    },
    projects,
  },
});
