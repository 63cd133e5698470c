import type { Command } from "commander";
import { AppError } from "../../lib/errors";
import { isDatabaseEmpty, seedDemo } from "../../lib/demo/seed-demo";
import { describeDemo } from "../../lib/demo/describe-demo";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

/** `portal seed demo` — the demo operator and providers, into an empty database only. */
export function registerSeed(program: Command): void {
  const seed = program.command("seed").description("Demo data");
  seed
    .command("demo")
    .description("Seed the demo operator, staff and three providers into an empty database")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: CommonOptions) => {
        const summary = await withPortal({ migrate: true }, async (portal) => {
          if (!(await isDatabaseEmpty(portal.database.db))) {
            throw new AppError("refused", "database not empty", "The database already holds organisations; demo data goes only into an empty database.");
          }
          return seedDemo({ db: portal.database.db, config: portal.config, clock: portal.clock, secretsKey: portal.secretsKey, baseUrl: portal.baseUrl });
        });
        emit(options, summary, () => describeDemo(summary));
      }),
    );
}
