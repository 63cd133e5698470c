import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel, webApi } from "@slack/bolt";
import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import { slackDeliveryPolicy } from "../../lib/slack/delivery";
import type { SlackSettings } from "../../lib/slack/settings";
import type { BotContext } from "./context";
import { registerListeners } from "./listeners";
import { createStaffDirectory } from "./staff";
import { createQueueSync, type SyncLog } from "./sync/queue-messages";

/** Where Slack sends events and interactivity in HTTP mode (set the same URL in the manifest). */
export const SLACK_EVENTS_PATH = "/slack/events";
/** How often the channel is brought up to date with changes made elsewhere (web, email, jobs). */
export const SLACK_SYNC_INTERVAL_MS = 5_000;

export interface SlackBotOptions {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  settings: SlackSettings;
  logLevel?: LogLevel;
  syncIntervalMs?: number;
  /** How far back to look for requests not yet posted, at start (default a day). */
  catchUpMs?: number;
  log?: SyncLog;
}

export interface SlackBot {
  app: App;
  context: BotContext;
  /** Starts receiving (HTTP on settings.port, or Socket Mode) and the channel sync; the HTTP port, if any. */
  start(): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

const stderrLog: SyncLog = (level, event, fields) => process.stderr.write(`${JSON.stringify({ level, event, ...fields })}\n`);

/**
 * The Slack bot: Bolt with Web API calls to settings.apiUrl (a local fake in tests), events
 * over HTTP with the signing secret checked by Bolt (bad signatures and timestamps older than
 * 5 minutes are answered 401), or over Socket Mode when SLACK_APP_TOKEN is set.
 */
export async function createSlackBot(options: SlackBotOptions): Promise<SlackBot> {
  const { settings } = options;
  const logLevel = options.logLevel ?? LogLevel.WARN;
  const clientOptions = { slackApiUrl: settings.apiUrl };
  const receiver = settings.appToken ? null : new HTTPReceiver({ signingSecret: settings.signingSecret, endpoints: SLACK_EVENTS_PATH, logLevel });
  const app = settings.appToken
    ? new App({ token: settings.botToken, appToken: settings.appToken, socketMode: true, clientOptions, logLevel, deferInitialization: true })
    : new App({ token: settings.botToken, receiver: receiver!, clientOptions, logLevel, deferInitialization: true });
  await app.init();

  const staff = createStaffDirectory({ db: options.db, config: options.config, clock: options.clock });
  // The channel sync has a client of its own: each call bounded by the policy's timeout, and the
  // SDK's retries (ten over half an hour by default) and its waiting out of 429s switched off,
  // so the sync's backoff and dead letter (lib/slack/delivery.ts) are the single retry policy.
  const delivery = slackDeliveryPolicy(settings.delivery);
  const syncClient = new webApi.WebClient(settings.botToken, { slackApiUrl: settings.apiUrl, timeout: delivery.timeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel });
  const sync = createQueueSync({
    db: options.db,
    clock: options.clock,
    config: options.config,
    baseUrl: options.baseUrl,
    client: syncClient,
    channelId: settings.channelId,
    catchUpMs: options.catchUpMs,
    delivery,
    log: options.log ?? stderrLog,
  });
  const context: BotContext = { db: options.db, clock: options.clock, config: options.config, baseUrl: options.baseUrl, settings, staff, sync };
  registerListeners(app, context);
  app.error(async (error) => {
    (options.log ?? stderrLog)("error", "slack.listener_failed", { error: error.message });
  });

  let timer: NodeJS.Timeout | null = null;
  return {
    app,
    context,
    async start() {
      let port: number | null = null;
      if (receiver) {
        const server = (await receiver.start(settings.port)) as Server;
        port = (server.address() as AddressInfo).port;
      } else {
        await app.start();
      }
      timer = setInterval(() => void sync.runOnce(), options.syncIntervalMs ?? SLACK_SYNC_INTERVAL_MS);
      timer.unref();
      void sync.runOnce();
      return { port };
    },
    async stop() {
      if (timer) clearInterval(timer);
      await sync.stop();
      if (receiver) await receiver.stop().catch(() => undefined);
      else await app.stop();
    },
  };
}
