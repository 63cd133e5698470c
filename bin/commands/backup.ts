import type { Command } from "commander";
import { databaseUrlFromEnv, defaultDataDir } from "../../lib/db";
import { AppError } from "../../lib/errors";
import { backupEmbedded, restoreEmbedded } from "../../lib/runtime/backup";
import { action, emit, type CommonOptions } from "../output";

const POSTGRES_BACKUP =
  "With DATABASE_URL the database is a PostgreSQL server: back it up with pg_dump, which is consistent while the portal runs:\n" +
  '  pg_dump --format=custom --file=portal.dump "$DATABASE_URL"\n' +
  "and restore into an empty database with pg_restore (see docs/deployment.md):\n" +
  '  pg_restore --no-owner --dbname="$DATABASE_URL" portal.dump && npx portal audit verify';

/** Refuses (exit 2) with the PostgreSQL procedure when DATABASE_URL is set. */
function embeddedOnly(): string {
  if (databaseUrlFromEnv(process.env)) throw new AppError("validation", "backup/restore with DATABASE_URL", POSTGRES_BACKUP);
  return defaultDataDir(process.env);
}

/**
 * `portal backup FILE` and `portal restore FILE [--force]` — the embedded database's data
 * folder (PORTAL_DATA_DIR) to one file and back; the portal must be stopped. Each verifies
 * the audit chain and says so; a restore whose chain does not verify exits 1.
 */
export function registerBackup(program: Command): void {
  program
    .command("backup")
    .argument("<file>", "a new file to write (gzipped tar of the data folder)")
    .description("Back up the embedded database (stop the portal first); for PostgreSQL, use pg_dump")
    .option("--json", "print one JSON document")
    .action(
      action(async (file: string, options: CommonOptions) => {
        const result = await backupEmbedded({ dataDir: embeddedOnly(), file });
        const chain = result.audit.ok ? `audit chain verified (${result.audit.events} events)` : `AUDIT CHAIN BROKEN at event ${result.audit.firstBad.seq}: ${result.audit.firstBad.problem}`;
        emit(options, result, `Backed up to ${result.file} (${result.bytes} bytes, sha256 ${result.sha256}); ${chain}.`, result.audit.ok ? 0 : 1);
      }),
    );
  program
    .command("restore")
    .argument("<file>", "a file written by `portal backup`")
    .description("Restore the embedded database from a backup into PORTAL_DATA_DIR (stop the portal first)")
    .option("--force", "move a folder that is not empty aside (to <folder>.before-restore-<time>) first")
    .option("--json", "print one JSON document")
    .action(
      action(async (file: string, options: CommonOptions & { force?: boolean }) => {
        const result = await restoreEmbedded({ dataDir: embeddedOnly(), file, force: options.force });
        const moved = result.previous ? ` The folder's previous contents are in ${result.previous}.` : "";
        const chain = result.audit.ok
          ? `Audit chain verified: ${result.audit.events} events, head ${result.audit.headSeq}.`
          : `AUDIT CHAIN BROKEN at event ${result.audit.firstBad.seq}: ${result.audit.firstBad.problem}.`;
        emit(options, result, `Restored ${file} into ${result.dataDir}.${moved} ${chain}`, result.audit.ok ? 0 : 1);
      }),
    );
}
