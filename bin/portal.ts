import { Command } from "commander";
import { registerCommands } from "./commands";

/** `portal` — the operator's command line. Every command takes --json. */
const program = new Command()
  .name("portal")
  .description("Provider Portal operations: database, demo data, email policy checks, jobs, audit.")
  .showHelpAfterError()
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

registerCommands(program);
await program.parseAsync(process.argv);
