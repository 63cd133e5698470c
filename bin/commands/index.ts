import type { Command } from "commander";
import { registerCheckEmail } from "./check-email";
import { registerDb } from "./db";
import { registerSeed } from "./seed";
import { registerAudit } from "./audit";
import { registerCalendar } from "./calendar";
import { registerRequests } from "./requests";
import { registerUsers } from "./users";
import { registerJobs } from "./jobs";
import { registerIntake } from "./intake";
import { registerFeed } from "./feed";
import { registerBackup } from "./backup";

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerDb(program);
  registerSeed(program);
  registerCheckEmail(program);
  registerAudit(program);
  registerCalendar(program);
  registerRequests(program);
  registerUsers(program);
  registerJobs(program);
  registerIntake(program);
  registerFeed(program);
  registerBackup(program);
}
