import { describeDemo } from "../demo/describe-demo";
import { slackRequested } from "../slack/settings";
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
  if (opened.demo) process.stdout.write(`\n${describeDemo(opened.demo)}\n\n`);
  // With RESEND_API_KEY set, outbox messages are sent from this process (null otherwise).
  const mailWorker = startMailWorker({ db: opened.database.db, clock: opened.clock, config: opened.config });
  // Scheduled jobs run here every minute unless PORTAL_JOBS=off (or on Vercel, which uses cron).
  const jobRunner = startJobRunner({ db: opened.database.db, clock: opened.clock, config: opened.config, baseUrl: opened.baseUrl });
  // With the Slack settings, the Slack bot runs here too (loaded only then: Bolt is large).
  const slackBot = await startSlackBotIfConfigured(opened);
  // With IMAP_HOST (and the other IMAP_* settings), the email intake listener runs here too.
  const imapListener = await startImapListenerIfConfigured(opened);
  const portal: Portal = {
    ...opened,
    close: async () => {
      await imapListener?.stop();
      await slackBot?.stop();
      await jobRunner?.stop();
      await mailWorker?.stop();
      await opened.close();
    },
  };
  const stop = async () => {
    await portal.close().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return portal;
}

async function startSlackBotIfConfigured(opened: Portal): Promise<{ stop(): Promise<void> } | null> {
  if (!slackRequested(process.env)) return null;
  try {
    const { startSlackBot } = await import("../../bots/slack/worker");
    return await startSlackBot({ db: opened.database.db, clock: opened.clock, config: opened.config, baseUrl: opened.baseUrl });
  } catch (error) {
    // The portal serves on without Slack; the operator sees why in the log.
    process.stderr.write(`${JSON.stringify({ level: "error", event: "slack.bot_not_started", error: error instanceof Error ? error.message : String(error) })}\n`);
    return null;
  }
}

async function startImapListenerIfConfigured(opened: Portal): Promise<{ stop(): Promise<void> } | null> {
  if (!process.env.IMAP_HOST?.trim()) return null;
  try {
    const { startImapListenerIfConfigured: start } = await import("../../bots/imap/worker");
    return start({ db: opened.database.db, clock: opened.clock, config: opened.config });
  } catch (error) {
    // The portal serves on without the listener; the operator sees why in the log.
    process.stderr.write(`${JSON.stringify({ level: "error", event: "imap.listener_not_started", error: error instanceof Error ? error.message : String(error) })}\n`);
    return null;
  }
}
