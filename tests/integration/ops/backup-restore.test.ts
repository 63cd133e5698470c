import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createCliDatabase, makeTmpDir, runPortal, type CliDatabase } from "../../support/cli";
import { postgresAvailability } from "../../support/postgres-server";
import { databaseKind } from "../../support/test-database";

/**
 * Backup and restore (issue 11, operations): a database with the demo data and its audit
 * chain is backed up the documented way — `portal backup` for the embedded database,
 * `pg_dump` for PostgreSQL — restored into a new place — `portal restore`, `pg_restore` —
 * and `portal audit verify` passes on the copy with the same events.
 */

/** Each test runs the CLI a few times (a few seconds each, far more on a busy machine). */
const CLI_TIMEOUT_MS = 600_000;

type Verdict = { ok: boolean; events: number; headSeq?: number; headHash?: string };

/** One CLI run: seconds normally, minutes on a machine busy with other work. */
const CLI_RUN_MS = 150_000;

let source: CliDatabase;
let dir: string;
let original: Verdict;

beforeAll(async () => {
  source = await createCliDatabase();
  dir = await makeTmpDir("backup");
  expect((await runPortal(["db", "migrate", "--json"], { env: source.env, timeoutMs: CLI_RUN_MS })).code).toBe(0);
  expect((await runPortal(["seed", "demo", "--json"], { env: source.env, timeoutMs: CLI_RUN_MS })).code).toBe(0);
  const verify = await runPortal(["audit", "verify", "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
  original = verify.json<Verdict>();
  expect(original.ok, verify.stdout).toBe(true);
  expect(original.events).toBeGreaterThan(0);
}, 600_000);

afterAll(async () => {
  await source?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

(databaseKind() === "pglite" ? describe : () => undefined)("portal backup / portal restore (embedded database)", () => {
  it("UAP-4.4 a backup restored into a new folder holds the same audit chain, and it verifies", async () => {
    const file = path.join(dir, "portal-backup.tar.gz");
    const backup = await runPortal(["backup", file, "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
    expect(backup.code, backup.stderr + backup.stdout).toBe(0);
    const written = backup.json<{ file: string; bytes: number; sha256: string; audit: Verdict }>();
    expect(written.bytes).toBe(readFileSync(file).length);
    expect(written.audit).toMatchObject({ ok: true, events: original.events });

    const target = { PORTAL_DATA_DIR: path.join(dir, "restored") };
    const restore = await runPortal(["restore", file, "--json"], { env: target, timeoutMs: CLI_RUN_MS });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.json<{ audit: Verdict }>().audit).toMatchObject({ ok: true, events: original.events, headHash: original.headHash });

    // What an operator runs after a restore, on the restored folder.
    const verify = await runPortal(["audit", "verify", "--json"], { env: target, timeoutMs: CLI_RUN_MS });
    expect(verify.code).toBe(0);
    expect(verify.json<Verdict>()).toMatchObject({ ok: true, events: original.events, headSeq: original.headSeq, headHash: original.headHash });
    // The lock file of the process that made the backup did not come back with it.
    expect(existsSync(path.join(target.PORTAL_DATA_DIR, "portal.lock"))).toBe(false);
  }, CLI_TIMEOUT_MS);

  it("refuses to restore over a database, or to overwrite a backup; --force moves the old folder aside", async () => {
    const file = path.join(dir, "second.tar.gz");
    expect((await runPortal(["backup", file, "--json"], { env: source.env, timeoutMs: CLI_RUN_MS })).code).toBe(0);
    const again = await runPortal(["backup", file, "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
    expect(again.code).toBe(1);
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/already exists/);

    const over = await runPortal(["restore", file, "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
    expect(over.code).toBe(1);
    expect(over.json<{ error: { message: string } }>().error.message).toMatch(/not empty/);

    const forced = await runPortal(["restore", file, "--force", "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
    expect(forced.code, forced.stdout).toBe(0);
    const previous = forced.json<{ previous: string }>().previous;
    expect(existsSync(path.join(previous, "PG_VERSION"))).toBe(true);
    expect((await runPortal(["audit", "verify", "--json"], { env: source.env, timeoutMs: CLI_RUN_MS })).json<Verdict>()).toMatchObject({ ok: true, events: original.events });
  }, CLI_TIMEOUT_MS);

  it("refuses a file that is not a backup, and a folder the portal holds, changing nothing", async () => {
    const junk = path.join(dir, "junk.tar.gz");
    writeFileSync(junk, "not a backup");
    const restore = await runPortal(["restore", junk, "--json"], { env: { PORTAL_DATA_DIR: path.join(dir, "junk-target") }, timeoutMs: CLI_RUN_MS });
    expect(restore.code).toBe(2);
    expect(restore.json<{ error: { message: string } }>().error.message).toMatch(/not a portal backup/);
    expect(existsSync(path.join(dir, "junk-target"))).toBe(false);

    // A live process holds the folder (this test process stands in for a running portal).
    const lock = path.join(source.location, "portal.lock");
    writeFileSync(lock, String(process.pid));
    try {
      const held = await runPortal(["backup", path.join(dir, "held.tar.gz"), "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
      expect(held.code).toBe(1);
      expect(held.json<{ error: { message: string } }>().error.message).toMatch(/in use by another process/);
      expect(existsSync(path.join(dir, "held.tar.gz"))).toBe(false);
    } finally {
      await rm(lock, { force: true });
    }
  }, CLI_TIMEOUT_MS);
});

(databaseKind() === "postgres" ? describe : () => undefined)("pg_dump / pg_restore (PostgreSQL), as docs/deployment.md says", () => {
  it("UAP-4.4 a pg_dump restored with pg_restore into an empty database verifies with portal audit verify", async () => {
    const availability = postgresAvailability();
    if (!availability.ok) throw new Error(availability.reason);
    const bin = (name: string) => path.join(availability.binDir, name);
    const file = path.join(dir, "portal.dump");
    execFileSync(bin("pg_dump"), ["--format=custom", `--file=${file}`, source.env.DATABASE_URL!], { stdio: "pipe" });

    const adminUrl = inject("portalPostgresUrl");
    const name = `portal_restored_${process.pid}`;
    await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      execFileSync(bin("pg_restore"), ["--no-owner", "--exit-on-error", `--dbname=${url.toString()}`, file], { stdio: "pipe" });
      const verify = await runPortal(["audit", "verify", "--json"], { env: { DATABASE_URL: url.toString() }, timeoutMs: CLI_RUN_MS });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.json<Verdict>()).toMatchObject({ ok: true, events: original.events, headSeq: original.headSeq, headHash: original.headHash });
      // The append-only triggers came back with the data: the copy refuses edits as the original does.
      await expect(withClient(url.toString(), (c) => c.query("UPDATE audit_events SET action = 'x' WHERE seq = 1"))).rejects.toMatchObject({ code: "42501" });
    } finally {
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  }, CLI_TIMEOUT_MS);

  it("portal backup with DATABASE_URL refuses and gives the pg_dump procedure", async () => {
    const run = await runPortal(["backup", path.join(dir, "x.tar.gz"), "--json"], { env: source.env, timeoutMs: CLI_RUN_MS });
    expect(run.code).toBe(2);
    expect(run.json<{ error: { message: string } }>().error.message).toMatch(/pg_dump --format=custom/);
  }, CLI_TIMEOUT_MS);
});

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}
