import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { systemActor } from "../../lib/audit/events";
import { AppError } from "../../lib/errors";
import { importFeed } from "../../lib/feeds/import-feed";
import { feedKindSchema } from "../../lib/feeds/kinds";
import { readFeedFile } from "../../lib/feeds/read-feed-file";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

interface FeedImportOptions extends CommonOptions {
  kind: string;
  dryRun?: boolean;
}

/**
 * `portal feed import FILE --kind KIND [--dry-run] --json` — rows from the operator's finance
 * and care-management system, through the same lib/feeds importer as the staff upload page
 * (Back office → Feeds), audited as the "Finance feed" on channel cli. Exit code 0 when every
 * row is valid, 1 when any is not (valid rows are still imported), 2 when the file cannot be read.
 */
export function registerFeed(program: Command): void {
  const feed = program.command("feed").description("Data from the finance and care-management system: care packages, purchase orders, payments");
  feed
    .command("import <file>")
    .description("Upsert the rows of a CSV or JSON feed file by their source IDs, reporting every row; never deletes")
    .requiredOption("--kind <kind>", "individuals, care_packages, purchase_orders, purchase_order_lines, payments, remittances or remittance_lines")
    .option("--dry-run", "check and report only; change nothing")
    .option("--json", "print one JSON document: summary and one result per row")
    .action(
      action(async (file: string, options: FeedImportOptions) => {
        const kind = feedKindSchema.safeParse(options.kind.trim().toLowerCase().replace(/-/g, "_"));
        if (!kind.success) throw new AppError("validation", `bad --kind ${options.kind}`, kind.error.issues[0]!.message);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new AppError("validation", `cannot read ${file}`, `${file} could not be read: ${(error as Error).message}`);
        }
        const parsed = readFeedFile({ bytes, kind: kind.data, fileName: path.basename(file) });
        const result = await withPortal({}, (portal) =>
          importFeed({
            db: portal.database.db,
            actor: systemActor("cli", "Finance feed"),
            clock: portal.clock,
            kind: kind.data,
            rows: parsed.rows,
            dryRun: options.dryRun === true,
            source: { fileName: path.basename(file), format: parsed.format },
          }),
        );
        const { summary } = result;
        emit(
          options,
          { ...result, ignoredColumns: parsed.ignoredColumns },
          () =>
            [
              ...result.rows.map((r) => [`row ${String(r.row).padEnd(6)} ${r.status.padEnd(9)} ${r.sourceId ?? "(no source ID)"}`, ...r.errors.map((e) => `\n    ${e.column ? `${e.column}: ` : ""}${e.message}`)].join("")),
              `${result.dryRun ? "Dry run, nothing changed: " : ""}${summary.rows} rows — ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.error} with errors`,
              ...(parsed.ignoredColumns.length ? [`Columns ignored: ${parsed.ignoredColumns.join(", ")}`] : []),
            ].join("\n"),
          summary.error > 0 ? 1 : 0,
        );
      }),
    );
}
