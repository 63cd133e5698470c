import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { verifyAuditChain, type ChainVerdict } from "../audit";
import { acquireDataDirLock } from "../db/data-dir-lock";
import * as schema from "../db/schema";
import type { Database } from "../db/types";
import { AppError } from "../errors";

/*
 * Backup and restore of the embedded database (PGlite): the data folder as one gzipped tar
 * (PGlite's dumpDataDir), taken while no other process holds the folder. The archive holds
 * everything in the folder, including `secrets.key` when the security numbers are sealed with
 * the folder's own key: keep backups as safe as the database. (With PORTAL_SECRETS_KEY, keep
 * that key too: a restored database is no use without it.)
 *
 * PostgreSQL servers are backed up with their own tools (pg_dump / pg_restore, see
 * docs/deployment.md): they are consistent while the portal runs, which a copy of files is not.
 */

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  /** The audit chain as it stood in the backup. */
  audit: ChainVerdict;
}

export interface RestoreResult {
  dataDir: string;
  /** Where the folder's previous contents were moved (only with force). */
  previous: string | null;
  audit: ChainVerdict;
}

/** Whether a folder already holds a database (PostgreSQL writes PG_VERSION first). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, "PG_VERSION"));
}

/**
 * Writes the data folder to `file` (a new file; an existing one is refused, never overwritten).
 * Refuses while the portal (or anything else) has the folder open: the lock says so.
 */
export async function backupEmbedded(options: { dataDir: string; file: string }): Promise<BackupResult> {
  const file = path.resolve(options.file);
  if (!holdsDatabase(options.dataDir)) {
    throw new AppError("not_found", `no database in ${options.dataDir}`, `There is no embedded database in ${options.dataDir} to back up.`);
  }
  if (existsSync(file)) throw new AppError("conflict", `${file} exists`, `${file} already exists: choose a new file name (a backup never overwrites).`);
  const release = acquireDataDirLock(options.dataDir);
  try {
    const client = await PGlite.create(options.dataDir);
    try {
      // Verified first: a backup of a chain that is already broken should say so at once.
      const audit = await verifyAuditChain(drizzle(client, { schema }) as unknown as Database);
      const dump = await client.dumpDataDir("gzip");
      const bytes = Buffer.from(await dump.arrayBuffer());
      mkdirSync(path.dirname(file), { recursive: true });
      // Written beside the target, then renamed: a crash never leaves half a backup under the name.
      const partial = `${file}.partial-${process.pid}`;
      writeFileSync(partial, bytes, { flag: "wx", mode: 0o600 });
      renameSync(partial, file);
      return { file, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), audit };
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
}

/**
 * Restores a backup into `dataDir`. The folder must be empty or absent; with `force`, what is
 * there is first moved aside to `<dataDir>.before-restore-<time>` (never deleted). The
 * restored database's audit chain is verified before this returns.
 */
export async function restoreEmbedded(options: { dataDir: string; file: string; force?: boolean; now?: Date }): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  const file = path.resolve(options.file);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError("not_found", `no file ${file}`, `There is no backup file at ${file}.`);
  const bytes = readFileSync(file);
  // gzip's magic number: refuse anything else before touching the folder.
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new AppError("validation", `${file} is not gzip`, `${file} is not a portal backup (expected the gzipped archive \`portal backup\` writes).`);
  }
  let previous: string | null = null;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!options.force) {
      throw new AppError("conflict", `${dataDir} is not empty`, `${dataDir} is not empty: restore into a new folder, or add --force to move its contents aside first.`);
    }
    // Taking the lock proves no server is using the folder before it is moved.
    acquireDataDirLock(dataDir)();
    previous = `${dataDir}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
    renameSync(dataDir, previous);
  }
  mkdirSync(dataDir, { recursive: true });
  const release = acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create(dataDir, { loadDataDir: new Blob([bytes], { type: "application/x-gzip" }) });
    try {
      const audit = await verifyAuditChain(drizzle(client, { schema }) as unknown as Database);
      return { dataDir, previous, audit };
    } finally {
      await client.close();
    }
  } catch (error) {
    // A backup that does not load leaves an empty folder, not a half-restored one.
    rmSync(dataDir, { recursive: true, force: true });
    if (previous) renameSync(previous, dataDir);
    throw new AppError("validation", `could not load ${file}: ${error instanceof Error ? error.message : String(error)}`, `${file} could not be restored: it is not a complete portal backup.`);
  } finally {
    // The archive carries the lock file of the process that made it: ours replaces it, then goes.
    release();
    rmSync(path.join(dataDir, "portal.lock"), { force: true });
  }
}
