/**
 * A throwaway PostgreSQL 15 for benchmarks — the very server the integration tests start
 * (tests/support/postgres-server.ts: a fresh cluster as the postgres user, removed on stop) —
 * and bulk loading through psql's COPY FROM STDIN (no extra npm package needed).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { postgresAvailability, startPostgresServer, type PostgresServer } from "../../tests/support/postgres-server";

export { startPostgresServer, type PostgresServer };

/** Creates a database on the server and returns its superuser URL. */
export async function createDatabase(server: PostgresServer, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return server.urlFor(name);
}

function psqlPath(): string {
  const availability = postgresAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const file = path.join(availability.binDir, "psql");
  if (!existsSync(file)) throw new Error(`psql not found beside the server binaries (${file})`);
  return file;
}

/** One CSV field as COPY … (FORMAT csv) reads it: null is an unquoted empty field. */
export function csvField(value: string | number | boolean | Date | null | undefined | object): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(values: (string | number | boolean | Date | null | undefined | object)[]): string {
  return `${values.map(csvField).join(",")}\n`;
}

/**
 * Streams CSV lines into `COPY table (columns) FROM STDIN` through psql, respecting back
 * pressure, and resolves with the number of rows once psql has committed them.
 */
export async function copyInto(url: string, table: string, columns: string[], lines: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const child = spawn(psqlPath(), [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `COPY ${table} (${columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  let closed = false;
  const done = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      closed = true;
      resolve(code);
    });
  });
  let rows = 0;
  let failed: Error | undefined;
  child.stdin.on("error", (error) => (failed = error));
  let buffer = "";
  const flush = async () => {
    if (!buffer) return;
    const ok = child.stdin.write(buffer);
    buffer = "";
    // psql may stop early (a bad row): then it never drains, and `done` tells why.
    if (!ok && !closed) await Promise.race([new Promise<void>((resolve) => child.stdin.once("drain", resolve)), done]);
  };
  for await (const line of lines) {
    if (failed || closed) break;
    buffer += line;
    rows += 1;
    if (buffer.length > 1 << 20) await flush();
  }
  await flush();
  child.stdin.end();
  const code = await done;
  if (code !== 0 || failed) throw new Error(`COPY into ${table} failed (psql exit ${code}): ${output.trim() || failed?.message}`);
  return rows;
}
