import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import type { Env } from "../../lib/env";
import type { EmailReader } from "../../lib/intake/email-reader";
import { startImapListener, stderrIntakeLog, type ImapListener } from "./listener";
import { imapSettingsFromEnv } from "./settings";

/**
 * Starts the email intake listener in this process when IMAP_HOST (and the rest of the IMAP_*
 * settings) are set; null otherwise. With the embedded database this is the only way it runs
 * (one process per data folder); with DATABASE_URL it can also run alone (bots/imap/main.ts).
 */
export function startImapListenerIfConfigured(deps: {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl?: string | null;
  env?: Env;
  /**
   * How fetched mail is parsed: the standalone listener (main.ts, run with tsx) passes a worker
   * thread's reader (lib/intake/email-reader-thread.ts) so parsing overlaps the database work,
   * and closes it; inside the Next.js server mail is parsed inline (the thread's entry needs
   * tsx, which the server's bundle does not have).
   */
  reader?: EmailReader;
}): ImapListener | null {
  const settings = imapSettingsFromEnv(deps.env ?? process.env);
  if (!settings) return null;
  stderrIntakeLog("info", "imap.listener_starting", { host: settings.host, mailbox: settings.mailbox, authservId: settings.authservId, parseInWorker: deps.reader !== undefined });
  return startImapListener({ db: deps.db, clock: deps.clock, config: deps.config, baseUrl: deps.baseUrl ?? null, settings, ...(deps.reader ? { reader: deps.reader } : {}) });
}
