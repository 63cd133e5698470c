// The email intake listener on its own (`tsx bots/imap/main.ts`): for a deployment with
// DATABASE_URL. With the embedded database the listener normally runs inside the server
// process; naming the data folder (PORTAL_DATA_DIR) runs it alone there while the server is
// stopped — the folder's lock refuses it while the server holds it.
import { openPortal } from "../../lib/runtime/open-portal";
import { emailReaderThread } from "../../lib/intake/email-reader-thread";
import { stderrIntakeLog } from "./listener";
import { startImapListenerIfConfigured } from "./worker";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL && !process.env.PORTAL_DATA_DIR) {
    process.stderr.write("bots/imap: set DATABASE_URL (or PORTAL_DATA_DIR, with the server stopped). With the embedded database the listener runs inside the portal server (set IMAP_* there).\n");
    process.exit(78);
  }
  const portal = await openPortal({ seedDemoWhenEmpty: false });
  // Mail is parsed on a worker thread while this one classifies and writes (lib/intake/email-reader-thread.ts).
  const reader = emailReaderThread({ onFailure: (error) => stderrIntakeLog("error", "imap.parser_thread_failed", { error: error.message }) });
  const listener = startImapListenerIfConfigured({ db: portal.database.db, clock: portal.clock, config: portal.config, baseUrl: portal.baseUrl, reader });
  if (!listener) {
    await reader.close();
    await portal.close();
    process.stderr.write("bots/imap: IMAP_HOST is not set, so there is no mailbox to listen to.\n");
    process.exit(78);
  }
  const stop = async () => {
    await listener.stop().catch(() => undefined);
    await reader.close().catch(() => undefined);
    await portal.close().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`bots/imap: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
