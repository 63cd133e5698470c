// The Slack bot on its own (with DATABASE_URL set): `npx tsx bots/slack/main.ts`.
// With the embedded database the Next server runs the bot instead (one process per data folder).
import { databaseUrlFromEnv } from "../../lib/db";
import { openPortal } from "../../lib/runtime/open-portal";
import { startSlackBot } from "./worker";

async function main(): Promise<void> {
  if (!databaseUrlFromEnv(process.env)) {
    process.stderr.write("The Slack bot runs on its own only with DATABASE_URL set; with the embedded database, start the portal (npm start) with the Slack settings instead.\n");
    process.exit(78);
  }
  const portal = await openPortal();
  const bot = await startSlackBot({ db: portal.database.db, clock: portal.clock, config: portal.config, baseUrl: portal.baseUrl });
  if (!bot) {
    process.stderr.write("Set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_CHANNEL_ID to run the Slack bot.\n");
    await portal.close();
    process.exit(78);
  }
  const stop = async () => {
    await bot.stop().catch(() => undefined);
    await portal.close().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
