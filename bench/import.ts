/**
 * bench/import — a bulk user request (UCP-BULK-1) of a generated 10,000-row CSV: read, every
 * row checked with the new-user form's rules and against the database, and every row turned
 * into a request through submitRequest in one transaction — against a plain INSERT of the same
 * rows into the requests table, measured in the same run on the same database.
 *
 *   npm run bench:import [-- --rows 10000] [-- --postgres] [-- --json]
 *
 * A throwaway database: PGlite in memory (the embedded default), or with --postgres a
 * throwaway PostgreSQL 15 server (tests/support/postgres-server.ts). The demo data is seeded
 * and Meadowbank's licence allocation raised so the whole file fits.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor } from "../lib/audit/events";
import { systemClock } from "../lib/clock";
import { validateConfig } from "../lib/config";
import { councilProfile } from "../lib/config/profiles/council";
import { migrateDatabase, openDatabase, tables, type DatabaseHandle } from "../lib/db";
import { seedDemo } from "../lib/demo/seed-demo";
import { importUsers } from "../lib/imports/import-users";
import { readImportFile } from "../lib/imports/read-import-file";
import { startPostgresServer, type PostgresServer } from "../tests/support/postgres-server";

const args = process.argv.slice(2);
const rowCount = Number(args[args.indexOf("--rows") + 1] ?? 10_000) || 10_000;
const json = args.includes("--json");
const usePostgres = args.includes("--postgres");
const LEAD = "priya.shah@meadowbank-care.example.org";

function log(line: string): void {
  if (!json) process.stderr.write(`${line}\n`);
}

/** A CSV as a Lead correspondent's spreadsheet would export it: BOM, CRLF, a few quoted values. */
function generateCsv(rows: number, runId: string): Buffer {
  const nextYear = new Date().getUTCFullYear() + 1;
  const lines = ["Full name,Email address,Job title,Security role,End date,Purpose"];
  for (let i = 0; i < rows; i++) {
    const temporary = i % 5 === 0;
    lines.push(
      [
        `Person ${i} Example`,
        `person.${i}.${runId}@nhs.net`,
        i % 2 === 0 ? "Care Coordinator" : "Finance Officer",
        i % 3 === 0 ? "" : i % 2 === 0 ? "Care coordinator" : "Finance",
        temporary ? `${String((i % 28) + 1).padStart(2, "0")}/06/${nextYear}` : "",
        `"Arranging care, visits and payments for the people we support"`,
      ].join(","),
    );
  }
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

async function openThrowaway(): Promise<{ handle: DatabaseHandle; server: PostgresServer | null }> {
  if (!usePostgres) return { handle: await openDatabase({ dataDir: "memory://" }), server: null };
  const server = await startPostgresServer();
  return { handle: await openDatabase({ url: server.url, poolSize: 4 }), server };
}

async function main(): Promise<void> {
  const config = validateConfig(councilProfile);
  const clock = systemClock;
  const { handle, server } = await openThrowaway();
  try {
    await migrateDatabase(handle);
    const db = handle.db;
    await seedDemo({ db, config, clock, secretsKey: Buffer.alloc(32, 7) });
    const [org] = await db.select({ id: tables.organisations.id }).from(tables.organisations).where(sql`${tables.organisations.odsCode} = 'AB1C2'`);
    const [lead] = await db.select().from(tables.accounts).where(sql`lower(${tables.accounts.email}) = ${LEAD}`);
    if (!org || !lead) throw new Error("the demo seed has no Meadowbank or no Lead correspondent");
    await db
      .insert(tables.licenceAllocations)
      .values({ organisationId: org.id, year: clock.now().getUTCFullYear(), allocation: rowCount * 3 })
      .onConflictDoUpdate({ target: [tables.licenceAllocations.organisationId, tables.licenceAllocations.year], set: { allocation: rowCount * 3 } });
    const actor: Actor = { accountId: lead.id, label: lead.fullName, channel: "cli" };

    // The import: read the file, check every row, submit every row, one transaction.
    const bytes = generateCsv(rowCount, "bench");
    log(`${usePostgres ? "PostgreSQL" : "PGlite"}: importing ${rowCount.toLocaleString("en-GB")} rows (${(bytes.length / 1024).toFixed(0)} KB)…`);
    const started = performance.now();
    const file = await readImportFile({ bytes, fileName: "bench.csv", maxRows: rowCount });
    const readMs = performance.now() - started;
    const checkStarted = performance.now();
    const dry = await importUsers({ db, actor, clock, config, organisationId: org.id, rows: file.rows, dryRun: true });
    const checkMs = performance.now() - checkStarted;
    if (dry.summary.ok !== rowCount) throw new Error(`expected every row valid, got ${dry.summary.errors} errors: ${JSON.stringify(dry.rows.find((r) => r.status === "error"))}`);
    const importStarted = performance.now();
    const result = await importUsers({ db, actor, clock, config, organisationId: org.id, rows: file.rows, dryRun: false });
    const importMs = performance.now() - importStarted;
    if (!result.submitted || result.references.length !== rowCount) throw new Error(`the import did not submit every row: ${JSON.stringify(result.summary)}`);
    const totalMs = readMs + importMs;

    // The baseline: the same rows as plain INSERTs into requests, 500 a statement, one transaction.
    const baseline = generateCsv(rowCount, "baseline");
    const baselineRows = (await readImportFile({ bytes: baseline, maxRows: rowCount })).rows;
    const dueAt = new Date(clock.now().getTime() + 7 * 86_400_000);
    const insertStarted = performance.now();
    await db.transaction(async (tx) => {
      for (let i = 0; i < baselineRows.length; i += 500) {
        await tx.insert(tables.requests).values(
          baselineRows.slice(i, i + 500).map((row) => ({
            id: randomUUID(),
            type: "new_user" as const,
            title: `New user: ${row.values.fullName}`,
            organisationId: org.id,
            requestedById: lead.id,
            channel: "cli" as const,
            payload: { details: { type: "new_user", ...row.values } },
            dueAt,
          })),
        );
      }
    });
    const insertMs = performance.now() - insertStarted;

    const figures = {
      database: usePostgres ? "postgresql" : "pglite",
      rows: rowCount,
      readSeconds: round(readMs / 1000),
      dryRunSeconds: round(checkMs / 1000),
      importSeconds: round(importMs / 1000),
      importRowsPerSecond: Math.round(rowCount / (totalMs / 1000)),
      dryRunRowsPerSecond: Math.round(rowCount / ((readMs + checkMs) / 1000)),
      plainInsertSeconds: round(insertMs / 1000),
      plainInsertRowsPerSecond: Math.round(rowCount / (insertMs / 1000)),
      ratio: round(totalMs / insertMs, 1),
    };
    if (json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    else {
      log(`read ${figures.readSeconds} s; check only (dry run) ${figures.dryRunSeconds} s (${figures.dryRunRowsPerSecond} rows/s with the read)`);
      log(`import (read + check + write every request, one transaction): ${round(totalMs / 1000)} s, ${figures.importRowsPerSecond} rows/s`);
      log(`plain INSERT of the same rows: ${figures.plainInsertSeconds} s, ${figures.plainInsertRowsPerSecond} rows/s`);
      log(`ratio import / plain INSERT: ${figures.ratio}`);
    }
  } finally {
    await handle.close();
    await server?.stop();
  }
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

await main();
