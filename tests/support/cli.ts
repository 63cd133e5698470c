import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { inject } from "vitest";
import { databaseKind, type TestDatabaseKind } from "./test-database";

/**
 * Runs the ops CLI (`bin/portal`) as a child process, the way an operator does, and gives
 * each test a database of the project's kind to point it at.
 *
 *   const run = await runPortal(["check-email", "jane@nhs.net", "--json"]);
 *   const database = await createCliDatabase();   // env: DATABASE_URL or PORTAL_DATA_DIR
 *   await runPortal(["db", "migrate", "--json"], { env: database.env });
 *   await database.dispose();
 */

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** A folder for this run's files, under tests/.tmp (ignored by git, eslint and vitest). */
export const tmpRoot = path.join(repoRoot, "tests", ".tmp");
const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
const entry = path.join(repoRoot, "bin", "portal.ts");

/** Variables that choose the database, configuration or data: never inherited from the test run. */
const CHOOSERS = ["DATABASE_URL", "POSTGRES_URL", "VERCEL", "PORTAL_CONFIG", "PORTAL_PROFILE", "PORTAL_DATA_DIR", "PORTAL_BANK_HOLIDAYS_DIR"];

/** Each run costs a second or two of CPU (tsx compiles the CLI); more at once only queue on 2 cores. */
const MAX_CONCURRENT = 3;
let running = 0;
const waiting: (() => void)[] = [];
async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next(); // hand the slot straight on
  else running--;
}

export interface PortalRun {
  args: string[];
  /** The exit code, or null when the run was killed (timed out). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document --json prints; throws showing both streams if it is not. */
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs `portal ARGS…` from the repository root with the test run's environment, minus the
 * variables that choose a database or configuration, plus `env`.
 */
export async function runPortal(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PortalRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of CHOOSERS) delete env[name];
  Object.assign(env, options.env);
  await acquire();
  try {
    return await new Promise<PortalRun>((resolve, reject) => {
      const child = spawn(tsx, [entry, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({
          args,
          code,
          stdout,
          stderr,
          json<T>() {
            try {
              return JSON.parse(stdout) as T;
            } catch {
              throw new Error(`portal ${args.join(" ")} (exit ${code}) did not print JSON:\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
            }
          },
        });
      });
    });
  } finally {
    release();
  }
}

/** A new empty folder under tests/.tmp; removed by the caller. */
export async function makeTmpDir(label: string): Promise<string> {
  const dir = path.join(tmpRoot, `${label}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

export interface CliDatabase {
  kind: TestDatabaseKind;
  /** What to pass a spawned CLI: DATABASE_URL (PostgreSQL) or PORTAL_DATA_DIR (embedded PGlite). */
  env: Record<string, string>;
  /** The database name (PostgreSQL) or data folder (PGlite). */
  location: string;
  dispose(): Promise<void>;
}

/**
 * An EMPTY database of the project's kind (not cloned from the migrated template, so
 * `portal db migrate` has work to do): a new database on the throwaway PostgreSQL server, or
 * a folder under tests/.tmp for the embedded PGlite.
 */
export async function createCliDatabase(): Promise<CliDatabase> {
  if (databaseKind() === "postgres") {
    const adminUrl = inject("portalPostgresUrl");
    const name = `portal_cli_${process.pid}_${randomBytes(4).toString("hex")}`;
    await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      kind: "postgres",
      env: { DATABASE_URL: url.toString() },
      location: name,
      dispose: () => withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = await makeTmpDir("cli-data");
  return { kind: "pglite", env: { PORTAL_DATA_DIR: dir }, location: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
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
