import { describeDemo } from "../demo/describe-demo";
import { eventLog, logger } from "../log";
import { slackRequested } from "../slack/settings";
import { installShutdownHandler } from "./graceful-shutdown";
import { startJobRunner } from "./job-runner";
import { startMailWorker } from "./mail-worker";
import { openPortal, type Portal } from "./open-portal";

/**
 * The server process's one portal: one database (for PGlite, one process per data folder),
 * shared by proxy, pages, route handlers, jobs and bots. Next may load this module more than
 * once (separate bundles), so the instance lives on globalThis.
 */
const holder = globalThis as typeof globalThis & { __providerPortal?: Promise<Portal> };

export function getPortal(): Promise<Portal> {
  holder.__providerPortal ??= startPortal().catch((error: unknown) => {
    holder.__providerPortal = undefined;
    throw error;
  });
  return holder.__providerPortal;
}

async function startPortal(): Promise<Portal> {
  const opened = await openPortal();
  // The banner names the accounts but not the shared password and security number: server
  // output ends up in log stores, and no secret may (the README gives them).
  if (opened.demo) process.stdout.write(`\n${describeDemo(opened.demo, { showSecrets: false })}\n\n`);
  // With RESEND_API_KEY set, outbox messages are sent from this process (null otherwise).
  const mailWorker = startMailWorker({ db: opened.database.db, clock: opened.clock, config: opened.config, log: eventLog("mail") });
  // Scheduled jobs run here every minute unless PORTAL_JOBS=off (or on Vercel, which uses cron).
  const jobRunner = startJobRunner({ db: opened.database.db, clock: opened.clock, config: opened.config, baseUrl: opened.baseUrl, log: eventLog("jobs") });
  // With the Slack settings, the Slack bot runs here too (loaded only then: Bolt is large).
  const slackBot = await startSlackBotIfConfigured(opened);
  // With IMAP_HOST (and the other IMAP_* settings), the email intake listener runs here too.
  const imapListener = await startImapListenerIfConfigured(opened);
  const stopWorkers = async () => {
    // Each finishes the run it is in; none starts another.
    await Promise.all([imapListener?.stop(), slackBot?.stop(), jobRunner?.stop(), mailWorker?.stop()]);
  };
  const portal: Portal = {
    ...opened,
    close: async () => {
      await stopWorkers();
      await opened.close();
    },
  };
  // SIGTERM / SIGINT: stop taking work, finish what is in flight, close the database, exit.
  installShutdownHandler({ stopWorkers, closeDatabase: () => opened.close(), log: eventLog("server") });
  logger().info({ event: "server.started", database: opened.database.driver, mail: Boolean(mailWorker), jobs: Boolean(jobRunner), slack: Boolean(slackBot), imap: Boolean(imapListener) });
  return portal;
}

async function startSlackBotIfConfigured(opened: Portal): Promise<{ stop(): Promise<void> } | null> {
  if (!slackRequested(process.env)) return null;
  try {
    const { startSlackBot } = await import("../../bots/slack/worker");
    return await startSlackBot({ db: opened.database.db, clock: opened.clock, config: opened.config, baseUrl: opened.baseUrl });
  } catch (error) {
    // The portal serves on without Slack; the operator sees why in the log.
    logger().error({ event: "slack.bot_not_started", error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

async function startImapListenerIfConfigured(opened: Portal): Promise<{ stop(): Promise<void> } | null> {
  if (!process.env.IMAP_HOST?.trim()) return null;
  try {
    const { startImapListenerIfConfigured: start } = await import("../../bots/imap/worker");
    return start({ db: opened.database.db, clock: opened.clock, config: opened.config, baseUrl: opened.baseUrl });
  } catch (error) {
    // The portal serves on without the listener; the operator sees why in the log.
    logger().error({ event: "imap.listener_not_started", error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}
