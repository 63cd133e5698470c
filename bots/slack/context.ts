import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import type { SlackSettings } from "../../lib/slack/settings";
import type { StaffDirectory } from "./staff";
import type { QueueSync } from "./sync/queue-messages";

/** What every listener needs: the portal's database, clock and configuration, and the bot's own parts. */
export interface BotContext {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  /** The portal's public address, for "Open in portal" links and emails. */
  baseUrl: string;
  settings: SlackSettings;
  staff: StaffDirectory;
  /** Brings the channel's messages up to date with the audit log (after an action, at once). */
  sync: QueueSync;
}
