import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { openDatabase, tables, type DatabaseHandle } from "@/lib/db";
import { systemClock } from "@/lib/clock";
import { submitRequest } from "@/lib/requests/submit-request";
import { createCliDatabase, repoRoot, runPortal, type CliDatabase } from "@/tests/support/cli";
import { dovecotAvailability, startDovecot, type DovecotServer } from "@/tests/support/dovecot";
import { AUTHSERV_ID, fromPriyaAuthenticated } from "./email-fixtures";

/**
 * Issue 7's crash test: the listener runs as a child process (bots/imap/main.ts, as `npm run
 * bot:imap` does) against a real Dovecot, in batches of 20 messages a transaction
 * (IMAP_BATCH_MESSAGES), is killed with SIGKILL — in the middle of the first batch's moves, or
 * as the first batch ends and the second is being ingested — and is started again. Every
 * message is processed exactly once: none is lost (the mailbox empties, every message has its
 * inbound_messages row and its outcome) and none is acted on twice (one note per reply, one
 * audit event per message) — on PGlite and on PostgreSQL.
 */

const ci = process.env.CI === "true" || process.env.CI === "1";
const dovecot = dovecotAvailability();
if (!dovecot.ok && !ci) console.warn(`\n[intake] SKIPPING the kill-and-restart test: ${dovecot.reason}\n`);

const PRIYA = "priya.shah@meadowbank-care.example.org";
const TOTAL = 80;
const BATCH = 20;
/** Every 4th message is unclassified, every 8th from the 2nd a one-row spreadsheet (a new-user request), the rest replies. */
const kindOf = (n: number) => (n % 4 === 0 ? "other" : n % 8 === 2 ? "bulk" : "reply");
const REPLIES = Array.from({ length: TOTAL }, (_, i) => kindOf(i + 1)).filter((k) => k === "reply").length;
const BULK = Array.from({ length: TOTAL }, (_, i) => kindOf(i + 1)).filter((k) => k === "bulk").length;
const OTHERS = TOTAL - REPLIES - BULK;
const CHOOSERS = ["DATABASE_URL", "POSTGRES_URL", "VERCEL", "PORTAL_CONFIG", "PORTAL_PROFILE", "PORTAL_DATA_DIR", "PORTAL_BANK_HOLIDAYS_DIR"];

const reply = (n: number, reference: string, run: string) =>
  fromPriyaAuthenticated({ subject: `Re: ${reference} update ${n}`, messageId: `kill-reply-${run}-${n}@meadowbank-care.example.org`, text: `Update number ${n} for the request.` });

function spreadsheet(n: number, run: string): Buffer {
  const csv = Buffer.from(`Full name,Email address,Job title,Purpose\r\nStarter ${n},starter.${run}.${n}@nhs.net,Care Coordinator,Arranging home care visits for the people we support\r\n`);
  return Buffer.from(
    [
      `Authentication-Results: ${AUTHSERV_ID}; spf=pass smtp.mailfrom=meadowbank-care.example.org; dkim=pass header.d=meadowbank-care.example.org; dmarc=pass header.from=meadowbank-care.example.org`,
      `From: Priya Shah <${PRIYA}>`,
      "To: brokerage@council.example.org",
      `Subject: New starter ${n}`,
      `Message-ID: <kill-bulk-${run}-${n}@meadowbank-care.example.org>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Attached.",
      "--b",
      `Content-Type: text/csv; name="starter-${n}.csv"`,
      `Content-Disposition: attachment; filename="starter-${n}.csv"`,
      "Content-Transfer-Encoding: base64",
      "",
      csv.toString("base64"),
      "--b--",
      "",
    ].join("\r\n"),
  );
}

function unclassified(n: number, run: string): Buffer {
  return Buffer.from(
    [`From: Someone <someone.${n}@example.net>`, "To: brokerage@council.example.org", `Subject: A question ${n}`, `Message-ID: <kill-other-${run}-${n}@example.net>`, "", `Question number ${n}.`, ""].join("\r\n"),
  );
}

describe.skipIf(!dovecot.ok && !ci)("the listener killed mid-batch and restarted", { timeout: 300_000 }, () => {
  let server: DovecotServer;
  let admin: ImapFlow;
  let database: CliDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startDovecot();
    admin = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user: server.user, pass: server.password }, logger: false });
    await admin.connect();
    database = await createCliDatabase();
    const seeded = await runPortal(["seed", "demo", "--json"], { env: database.env, timeoutMs: 170_000 });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await admin?.logout().catch(() => undefined);
    await server?.stop();
    await database?.dispose();
  });

  /** The test's own connection, closed before a listener starts (PGlite allows one process). */
  async function withDatabase<T>(body: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
    const handle = await openDatabase(database.env.DATABASE_URL ? { url: database.env.DATABASE_URL } : { dataDir: database.env.PORTAL_DATA_DIR! });
    try {
      return await body(handle);
    } finally {
      await handle.close();
    }
  }

  const count = async (name: string) => {
    const status = await admin.status(name, { messages: true }).catch(() => null);
    return status ? (status.messages ?? 0) : 0;
  };

  /** Starts bots/imap/main.ts as one node process (no tsx wrapper, so SIGKILL reaches the listener itself). */
  function startListener(mailbox: string, onProcessed: (processed: number) => void): { child: ChildProcess; exited: Promise<number | null>; log: () => string } {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    for (const name of CHOOSERS) delete env[name];
    Object.assign(env, database.env, {
      IMAP_HOST: server.host,
      IMAP_PORT: String(server.port),
      IMAP_SECURE: "false",
      IMAP_USER: server.user,
      IMAP_PASSWORD: server.password,
      IMAP_MAILBOX: mailbox,
      IMAP_PROCESSED_FOLDER: `${mailbox}-Processed`,
      IMAP_ATTENTION_FOLDER: `${mailbox}-Needs-attention`,
      IMAP_AUTHSERV_ID: AUTHSERV_ID,
      IMAP_BATCH_MESSAGES: String(BATCH),
    });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "bots/imap/main.ts")], { cwd: repoRoot, env, stdio: ["ignore", "ignore", "pipe"] });
    children.push(child);
    let processed = 0;
    let log = "";
    let partial = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      log += chunk;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.includes('"imap.message_processed"')) onProcessed(++processed);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, log: () => log };
  }

  /**
   * Appends TOTAL messages to a mailbox of the run's own, starts the listener, SIGKILLs it once
   * `killAt` messages are reported processed (their batch committed), restarts it, and checks
   * that every message was acted on exactly once.
   */
  async function killAndRestart(run: string, killAt: number): Promise<{ committedAtKill: number }> {
    const mailbox = `Kill-${run}-${Date.now()}`;
    const folders = { processed: `${mailbox}-Processed`, attention: `${mailbox}-Needs-attention` };
    const person = `kill.${run}@nhs.net`;
    const reference = await withDatabase(async ({ db }) => {
      const [priya] = await db.select().from(tables.accounts).where(eq(tables.accounts.email, PRIYA));
      // Room for every run's new users (CC-2a counts open requests against the licences).
      await db
        .update(tables.licenceAllocations)
        .set({ allocation: sql`${tables.licenceAllocations.allocation} + ${TOTAL}` })
        .where(eq(tables.licenceAllocations.organisationId, priya!.organisationId!));
      const submitted = await submitRequest({
        db,
        actor: { accountId: priya!.id, label: priya!.fullName, channel: "web" },
        clock: systemClock,
        config: getConfig(),
        input: { type: "new_user", fullName: "Kill Test", email: person, jobTitle: "Care coordinator", purpose: "Direct care of our residents", roleKeys: [] },
      });
      return submitted.reference;
    });

    await admin.mailboxCreate(mailbox);
    for (let n = 1; n <= TOTAL; n++) {
      const kind = kindOf(n);
      await admin.append(mailbox, kind === "other" ? unclassified(n, run) : kind === "bulk" ? spreadsheet(n, run) : reply(n, reference, run));
    }
    expect(await count(mailbox)).toBe(TOTAL);
    const ofRun = sql`${tables.inboundMessages.mailbox} = ${mailbox}`;

    const first = startListener(mailbox, (processed) => {
      if (processed === killAt) first.child.kill("SIGKILL");
    });
    const code = await first.exited;
    expect(code, first.log()).toBeNull(); // killed, not exited
    // Some batches committed, not all; messages still in the inbox (a batch is moved only once
    // it has committed, so committed-but-not-moved ones may be among them).
    expect(await count(mailbox), "the kill should land before the last batch").toBeGreaterThan(0);
    const committedAtKill = await withDatabase(({ db }) => db.$count(tables.inboundMessages, ofRun));
    expect(committedAtKill).toBeGreaterThanOrEqual(killAt);
    expect(committedAtKill).toBeLessThan(TOTAL);

    // Second run: picks up where the first stopped, then idles; stopped once the mailbox is empty.
    const second = startListener(mailbox, () => undefined);
    await expect.poll(() => count(mailbox), { timeout: 120_000, interval: 500 }).toBe(0);
    await expect.poll(async () => (await count(folders.processed)) + (await count(folders.attention)), { timeout: 10_000 }).toBe(TOTAL);
    second.child.kill("SIGTERM");
    await second.exited;

    await withDatabase(async ({ db }) => {
      const inbound = await db.select().from(tables.inboundMessages).where(ofRun);
      expect(inbound).toHaveLength(TOTAL);
      expect(inbound.every((m) => m.processedAt !== null && m.action !== null)).toBe(true);
      expect(new Set(inbound.map((m) => m.messageId)).size).toBe(TOTAL);

      const [request] = await db.select().from(tables.requests).where(sql`${tables.requests.payload} -> 'details' ->> 'email' = ${person}`);
      const notes = await db.select().from(tables.requestNotes).where(eq(tables.requestNotes.requestId, request!.id));
      expect(notes).toHaveLength(REPLIES);
      const numbers = notes.map((note) => Number(/Update number (\d+)/.exec(note.body)?.[1])).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => kindOf(n) === "reply"));
      // One new-user request per spreadsheet, none twice.
      const starters = await db
        .select({ email: sql<string>`${tables.requests.payload} -> 'details' ->> 'email'` })
        .from(tables.requests)
        .where(sql`${tables.requests.payload} -> 'details' ->> 'email' like ${`starter.${run}.%`}`);
      expect(starters.map((r) => r.email).sort()).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => kindOf(n) === "bulk").map((n) => `starter.${run}.${n}@nhs.net`).sort());
      const emailEvents = (action: string) =>
        db.select().from(tables.auditEvents).where(and(eq(tables.auditEvents.action, action), eq(tables.auditEvents.channel, "email"), sql`${tables.auditEvents.detail} -> 'source' ->> 'mailbox' = ${mailbox}`));
      expect(await emailEvents("email.note_added")).toHaveLength(REPLIES);
      expect(await emailEvents("email.needs_attention")).toHaveLength(OTHERS);
      expect(await emailEvents("email.bulk_imported")).toHaveLength(BULK);
    });
    expect(await count(folders.processed)).toBe(REPLIES + BULK);
    expect(await count(folders.attention)).toBe(OTHERS);
    return { committedAtKill };
  }

  it("killed mid-batch (the first batch committed, its moves under way): loses no message and duplicates no request, note or audit event", async () => {
    await killAndRestart("mid", 15);
  });

  it("killed between batches (the first batch's last message reported, the next being ingested): loses no message and duplicates nothing", async () => {
    await killAndRestart("between", BATCH);
  });
});
