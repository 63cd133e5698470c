import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import type { Env } from "../../lib/env";
import { slackSettingsFromEnv } from "../../lib/slack/settings";
import { createSlackBot, type SlackBot } from "./app";

export interface StartSlackBotOptions {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  env?: Env;
}

/**
 * Starts the Slack bot in this process when SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and
 * SLACK_CHANNEL_ID are set (null when none is; a partial configuration throws). With the
 * embedded database the Next server runs it (one process per data folder); with PostgreSQL it
 * can run on its own (bots/slack/main.ts).
 */
export async function startSlackBot(options: StartSlackBotOptions): Promise<SlackBot | null> {
  const settings = slackSettingsFromEnv(options.env ?? process.env);
  if (!settings) return null;
  const bot = await createSlackBot({ db: options.db, clock: options.clock, config: options.config, baseUrl: options.baseUrl, settings });
  const { port } = await bot.start();
  process.stderr.write(`${JSON.stringify({ level: "info", event: "slack.bot_started", mode: settings.appToken ? "socket" : "http", port, channel: settings.channelId })}\n`);
  return bot;
}
