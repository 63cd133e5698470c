import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { sql } from "drizzle-orm";
import { viewerForEmail } from "../../lib/auth/viewer-for-email";
import { organisations } from "../../lib/db/schema/organisations";
import { AppError } from "../../lib/errors";
import { importUsers } from "../../lib/imports/import-users";
import { readImportFile } from "../../lib/imports/read-import-file";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

interface ImportOptions extends CommonOptions {
  org: string;
  as: string;
  dryRun?: boolean;
  maxRows?: string;
}

/** The CLI's cap: larger than the web's 1,000, still one transaction's worth. */
const CLI_MAX_ROWS = 10_000;

/**
 * `portal users …` — provider users in bulk. `users import` is the web's bulk upload
 * (UCP-BULK-1) from a terminal, through the same lib/imports use case, acting as the Lead
 * correspondent named by --as with "cli" as the audit channel; the email intake can hand an
 * attachment to the same function.
 */
export function registerUsers(program: Command): void {
  const users = program.command("users").description("Provider users in bulk: import a CSV or XLSX of new-user requests");

  users
    .command("import <file>")
    .description(
      "Check every row of a CSV or XLSX of new users and, unless --dry-run, make the valid rows new-user requests in one transaction. " +
        "Prints one result per row; exit code 0 when every row is valid, 1 when any is not (valid rows are still submitted), 2 when the file cannot be read",
    )
    .requiredOption("--org <ods>", "the organisation's ODS code")
    .requiredOption("--as <email>", "the organisation's Lead correspondent (or another authoriser) asking")
    .option("--dry-run", "check and report only; submit nothing")
    .option("--max-rows <n>", `most rows the file may have (default ${CLI_MAX_ROWS.toLocaleString("en-GB")})`)
    .option("--json", "print a JSON array, one result per row")
    .action(
      action(async (file: string, options: ImportOptions) => {
        const maxRows = options.maxRows ? Number(options.maxRows) : CLI_MAX_ROWS;
        if (!Number.isInteger(maxRows) || maxRows < 1) throw new AppError("validation", "bad --max-rows", "--max-rows must be a whole number of at least 1");
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new AppError("validation", `cannot read ${file}`, `${file} could not be read: ${(error as Error).message}`);
        }
        const parsed = await readImportFile({ bytes, fileName: path.basename(file), maxRows, maxBytes: 50 * 1024 * 1024 });

        const result = await withPortal({}, async (portal) => {
          const db = portal.database.db;
          const { actor } = await viewerForEmail(db, portal.config, options.as, "cli");
          const [organisation] = await db.select({ id: organisations.id }).from(organisations).where(sql`upper(${organisations.odsCode}) = ${options.org.trim().toUpperCase()}`);
          if (!organisation) throw new AppError("not_found", `no organisation ${options.org}`, `There is no organisation with the ODS code ${options.org}.`);
          return importUsers({
            db,
            actor,
            clock: portal.clock,
            config: portal.config,
            organisationId: organisation.id,
            rows: parsed.rows,
            dryRun: options.dryRun === true,
            source: { fileName: path.basename(file), format: parsed.format },
          });
        });

        const rows = result.rows.map((r) => ({ row: r.row, status: r.status, email: r.email, errors: r.errors, ...(r.reference ? { reference: r.reference } : {}) }));
        const allValid = result.summary.errors === 0;
        emit(
          options,
          rows,
          () =>
            [
              ...result.rows.map((r) =>
                [`row ${String(r.row).padEnd(5)} ${r.status.padEnd(5)} ${r.email ?? "(no email)"}`, r.reference ? `  ${r.reference}` : "", ...r.errors.map((e) => `\n    ${e.column ? `${e.column}: ` : ""}${e.message}`)].join(""),
              ),
              "",
              `${result.summary.rows} rows: ${result.summary.ok} valid, ${result.summary.errors} with errors. ` +
                (result.dryRun
                  ? "Dry run: nothing submitted."
                  : result.submitted
                    ? `Submitted ${result.references.length} new-user requests for ${result.organisation.name} (${result.references[0]} to ${result.references.at(-1)}).`
                    : "Nothing submitted."),
            ].join("\n"),
          allValid ? 0 : 1,
        );
      }),
    );
}
