import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import type { Env } from "../../lib/env";
import { startImapListener, stderrIntakeLog, type ImapListener } from "./listener";
import { imapSettingsFromEnv } from "./settings";

/**
 * Starts the email intake listener in this process when IMAP_HOST (and the rest of the IMAP_*
 * settings) are set; null otherwise. With the embedded database this is the only way it runs
 * (one process per data folder); with DATABASE_URL it can also run alone (bots/imap/main.ts).
 */
export function startImapListenerIfConfigured(deps: { db: Database; clock: Clock; config: PortalConfig; baseUrl?: string | null; env?: Env }): ImapListener | null {
  const settings = imapSettingsFromEnv(deps.env ?? process.env);
  if (!settings) return null;
  stderrIntakeLog("info", "imap.listener_starting", { host: settings.host, mailbox: settings.mailbox, authservId: settings.authservId });
  return startImapListener({ db: deps.db, clock: deps.clock, config: deps.config, baseUrl: deps.baseUrl ?? null, settings });
}
