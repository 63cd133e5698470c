import { ConfigError } from "../config/load-config";
import { trackHttpRequests } from "./graceful-shutdown";
import { getPortal } from "./server-portal";
import { stampSocketAddresses } from "./socket-address";

/**
 * Start-up of the Next.js server process: opens (and on the embedded default migrates and
 * seeds) the database, so a bad configuration stops start-up at once with a clear message.
 */
export async function startServer(): Promise<void> {
  stampSocketAddresses();
  trackHttpRequests();
  try {
    await getPortal();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nThe portal did not start.\n`);
      // EX_CONFIG: the supervisor should not restart a server whose configuration is wrong.
      process.exit(78);
    }
    throw error;
  }
}
