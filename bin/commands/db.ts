import type { Command } from "commander";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

/** `portal db migrate` — applies the SQL migrations in drizzle/ to the configured database. */
export function registerDb(program: Command): void {
  const db = program.command("db").description("Database maintenance");
  db.command("migrate")
    .description("Apply pending migrations (DATABASE_URL, or the embedded data folder)")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: CommonOptions) => {
        const result = await withPortal({ migrate: true }, async (portal) => ({
          migrated: true,
          driver: portal.database.driver,
          location: portal.database.location,
        }));
        emit(options, result, `Migrated the ${result.driver} database at ${result.location}.`);
      }),
    );
}
