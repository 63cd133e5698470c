import { and, eq, like, sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runImapOnce, silentIntakeLog, startImapListener, type ImapListenerDeps } from "@/bots/imap/listener";
import type { ImapSettings } from "@/bots/imap/settings";
import { emailReaderThread } from "@/lib/intake/email-reader-thread";
import { tables } from "@/lib/db";
import { readPayload } from "@/lib/requests/schema";
import { submitRequest } from "@/lib/requests/submit-request";
import { dovecotAvailability, startDovecot, type DovecotServer } from "@/tests/support/dovecot";
import { accountByEmail, actorFor, createRequestWorld, LEE, PRIYA, TOM, type RequestWorld } from "@/tests/integration/requests/fixtures";
import { AUTHSERV_ID, fixture as emlFixture } from "./email-fixtures";

/**
 * The IMAP listener against a real Dovecot on loopback: fixtures are APPENDed to a mailbox of
 * their own per test, the listener runs once (or stays up in IDLE), and the requests, notes,
 * audit events, outbox and the mailbox folders are checked — on PGlite and on PostgreSQL.
 */

const ci = process.env.CI === "true" || process.env.CI === "1";
const dovecot = dovecotAvailability();
if (!dovecot.ok && !ci) console.warn(`\n[intake] SKIPPING the IMAP integration tests: ${dovecot.reason}\n`);

// IMAP wants CRLF line ends.
const fixture = (name: string, replace: Record<string, string> = {}) => Buffer.from(emlFixture(name, replace).toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");

describe.skipIf(!dovecot.ok && !ci)("email intake over IMAP", () => {
  let server: DovecotServer;
  let world: RequestWorld;
  let settings: ImapSettings;
  let admin: ImapFlow;
  let n = 0;

  beforeAll(async () => {
    server = await startDovecot();
    admin = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user: server.user, pass: server.password }, logger: false });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.logout().catch(() => undefined);
    await server?.stop();
  });

  beforeEach(async () => {
    world = await createRequestWorld();
    n++;
    const mailbox = `Test${n}-${Date.now()}`;
    await admin.mailboxCreate(mailbox);
    settings = {
      host: server.host,
      port: server.port,
      secure: false,
      user: server.user,
      password: server.password,
      mailbox,
      processedFolder: `${mailbox}-Processed`,
      attentionFolder: `${mailbox}-Needs-attention`,
      authservId: AUTHSERV_ID,
      maxMessageBytes: 10 * 1024 * 1024,
    };
  });
  afterEach(async () => world?.dispose());

  const deps = (overrides: Partial<ImapListenerDeps> = {}): ImapListenerDeps => ({ db: world.db, clock: world.clock, config: world.config, settings, log: silentIntakeLog, ...overrides });
  const append = async (...messages: Buffer[]) => {
    for (const message of messages) await admin.append(settings.mailbox, message);
  };
  const count = async (mailbox: string) => {
    const status = await admin.status(mailbox, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  };
  const emailAudit = async (action: string) =>
    world.db.select().from(tables.auditEvents).where(and(eq(tables.auditEvents.action, action), eq(tables.auditEvents.channel, "email")));
  /** A request Priya made earlier on the web, for mail that quotes its reference. */
  const requestFromPriya = async () =>
    submitRequest({
      db: world.db,
      actor: await actorFor(world.db, PRIYA),
      clock: world.clock,
      config: world.config,
      input: { type: "new_user", fullName: "Jane Doe", email: "jane.doe@nhs.net", jobTitle: "Care coordinator", purpose: "Direct care of our residents", roleKeys: [] },
    });
  const outboxTo = async (email: string) => world.db.select().from(tables.outboundMessages).where(sql`${tables.outboundMessages.to} ? ${email}`);

  it("UAP-A.8 UAP-4.1 UAP-4.3c an authenticated reinstatement request from the account's own address becomes a request, acknowledged with its reference", async () => {
    await append(fixture("reinstatement-authenticated.eml"));
    const report = await runImapOnce(deps());
    expect(report.failed).toEqual([]);
    expect(report.processed).toHaveLength(1);
    const [outcome] = report.processed;
    expect(outcome).toMatchObject({ kind: "reinstatement", account: LEE, senderVerified: true, action: "request_submitted", folder: "processed" });

    const lee = await accountByEmail(world.db, LEE);
    const [request] = await world.db.select().from(tables.requests).where(eq(tables.requests.subjectAccountId, lee.id));
    expect(request).toMatchObject({ type: "reinstatement", channel: "email", status: "received" });
    expect(readPayload(request!.payload).sender).toMatchObject({ email: LEE, authenticated: true, emailMatchesAccount: true, nameMatchesAccount: true });
    expect(outcome!.request).toMatch(/^REQ-\d{6}$/);

    const acknowledgements = await outboxTo(LEE);
    expect(acknowledgements.map((m) => m.subject)).toEqual([expect.stringContaining(outcome!.request!)]);
    expect(await emailAudit("email.request_created")).toHaveLength(1);
    expect(await emailAudit("request.submitted")).toHaveLength(1);
    expect(await count(settings.mailbox)).toBe(0);
    expect(await count(settings.processedFolder)).toBe(1);
  });

  it("UAP-A.8 a sender that failed authentication only gets a request queued with a warning; a display name dressed as the address links to nothing", async () => {
    await append(fixture("reinstatement-failed-authentication.eml"), fixture("reinstatement-display-name-spoof.eml"));
    const report = await runImapOnce(deps());
    expect(report.processed.map((o) => [o.action, o.account, o.senderVerified])).toEqual([
      ["request_submitted", LEE, false],
      ["needs_attention", null, true],
    ]);
    // The forged one waits, flagged, for staff to confirm the sender (lib/requests refuses approval until then).
    const requests = await world.db.select().from(tables.requests);
    expect(requests).toHaveLength(1);
    expect(readPayload(requests[0]!.payload).sender).toMatchObject({ email: LEE, authenticated: false });
    expect(await emailAudit("email.request_created")).toHaveLength(1);
    expect(await emailAudit("email.needs_attention")).toHaveLength(1);
    // The real account holder hears of the request made in their name (at the address on file);
    // the spoofer, authenticated as itself, is told no account uses its own address.
    const toLee = await outboxTo(LEE);
    expect(toLee.map((m) => m.subject)).toEqual([expect.stringContaining(report.processed[0]!.request!)]);
    const toSpoofer = await outboxTo("someone@evil.example.com");
    expect(toSpoofer.map((m) => m.text)).toEqual([expect.stringContaining("No portal account uses the address someone@evil.example.com")]);
    expect(await count(settings.processedFolder)).toBe(1);
    expect(await count(settings.attentionFolder)).toBe(1);
    expect(await count(settings.mailbox)).toBe(0);
  });

  it("UAP-4.3c a request the rules refuse goes to staff with the reason, and the sender is told why; the rest of the batch carries on", async () => {
    const fromTom = { "Lee.Jones@Meadowbank-Care.example.org": "Tom.Baker@Meadowbank-Care.example.org", "Lee Jones": "Tom Baker", "reinstate-1@": "reinstate-tom@" };
    await append(fixture("reinstatement-authenticated.eml", fromTom), fixture("reinstatement-authenticated.eml"));
    const report = await runImapOnce(deps());
    expect(report.processed.map((o) => o.action)).toEqual(["refused", "request_submitted"]);
    expect(report.processed[0]!.reason).toContain("not suspended");
    const toTom = await outboxTo(TOM);
    expect(toTom.map((m) => m.text)).toEqual([expect.stringContaining("We could not accept your request")]);
    expect(await world.db.select().from(tables.requests)).toHaveLength(1);
    expect(await emailAudit("email.needs_attention")).toHaveLength(1);
    expect(await count(settings.attentionFolder)).toBe(1);
    expect(await count(settings.processedFolder)).toBe(1);
  });

  it("auto-replies, mailing lists and bounces are recorded and never answered; a bounce marks our message undelivered", async () => {
    const [sent] = await world.db
      .insert(tables.outboundMessages)
      .values({ kind: "request_acknowledgement", to: ["gone.person@meadowbank-care.example.org"], subject: "REQ received", text: "…", idempotencyKey: "bounce-test", status: "sent", providerMessageId: "outbound-abc123@council.example.org" })
      .returning();
    const before = (await world.db.select().from(tables.outboundMessages)).length;
    await append(fixture("auto-reply-out-of-office.eml"), fixture("mailing-list.eml"), fixture("bounce-dsn.eml"));
    const report = await runImapOnce(deps());
    expect(report.processed.map((o) => [o.kind, o.action])).toEqual([
      ["auto_reply", "ignored"],
      ["auto_reply", "ignored"],
      ["bounce", "bounce_recorded"],
    ]);
    expect((await world.db.select().from(tables.outboundMessages)).length).toBe(before);
    const [marked] = await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.id, sent!.id));
    expect(marked).toMatchObject({ status: "dead" });
    expect(marked!.lastError).toContain("gone.person@meadowbank-care.example.org");
    expect(await emailAudit("email.ignored")).toHaveLength(2);
    expect(await emailAudit("email.bounce_recorded")).toHaveLength(1);
    expect(await world.db.select().from(tables.requests)).toHaveLength(0);
    expect(await count(settings.processedFolder)).toBe(3);
  });

  it("UCP-USR-2 UAP-A.3 a leaver notice and a Lead change by email from authenticated senders become requests; a reply quoting a reference becomes a kept note", async () => {
    const earlier = await requestFromPriya();
    await append(
      fixture("leaver-iso-8859-1.eml"),
      fixture("lead-change-windows-1252.eml"),
      fixture("reply-outlook-multipart.eml", { "REQ-000123": earlier.reference }),
      fixture("reply-gmail-html-only.eml", { "REQ-000123": earlier.reference }),
    );
    const report = await runImapOnce(deps());
    expect(report.failed).toEqual([]);
    expect(report.processed.map((o) => [o.kind, o.action])).toEqual([
      ["leaver", "request_submitted"],
      ["lead_change", "request_submitted"],
      ["reply", "note_added"],
      ["reply", "note_added"],
    ]);
    const tom = await accountByEmail(world.db, TOM);
    const [suspension] = await world.db.select().from(tables.requests).where(eq(tables.requests.type, "suspension"));
    expect(suspension).toMatchObject({ subjectAccountId: tom.id, channel: "email" });
    expect(readPayload(suspension!.payload).details).toMatchObject({ reason: "leaver" });
    const [leadChange] = await world.db.select().from(tables.requests).where(eq(tables.requests.type, "lead_change"));
    expect(leadChange).toMatchObject({ channel: "email", status: "received" });

    const notes = await world.db.select().from(tables.requestNotes).where(eq(tables.requestNotes.requestId, earlier.requestId));
    expect(notes).toHaveLength(2);
    expect(notes.every((note) => note.channel === "email")).toBe(true);
    expect(notes[0]!.body).toContain("Jane starts on Monday");
    expect(notes[0]!.body).not.toContain("We have received your request");
    expect(notes[1]!.body).toContain("Senior Carer");
    // One reply of ours per sender per hour: Priya's two notes are acknowledged once.
    expect((await outboxTo(PRIYA)).filter((m) => m.kind === "intake_reply")).toHaveLength(1);
    expect(await emailAudit("request.note_added")).toHaveLength(2);
  });

  it("a message that fails midway stays in the mailbox and is retried; a restart mid-batch loses nothing and duplicates nothing", async () => {
    await append(fixture("reinstatement-authenticated.eml"), fixture("unclassified-plain.eml"), fixture("mailing-list.eml"));
    // First run: the outcome of the first message commits, then the "process dies" before the move.
    let calls = 0;
    const first = await runImapOnce(
      deps({
        onProcessed: () => {
          calls++;
          if (calls === 1) throw new Error("killed before the move");
        },
      }),
    );
    expect(first.failed).toHaveLength(1);
    expect(await count(settings.mailbox)).toBe(1);
    // The restart: the committed one is recognised and only moved; nothing is done twice.
    const second = await runImapOnce(deps());
    expect(second.processed.map((o) => o.action)).toEqual(["duplicate"]);
    expect(await count(settings.mailbox)).toBe(0);
    expect(await world.db.select().from(tables.requests)).toHaveLength(1);
    expect(await emailAudit("email.request_created")).toHaveLength(1);
    expect(await count(settings.processedFolder)).toBe(2);
    expect(await count(settings.attentionFolder)).toBe(1);
    // The same message delivered again (a new copy, same Message-ID) is not acted on either.
    await append(fixture("reinstatement-authenticated.eml"));
    const third = await runImapOnce(deps());
    expect(third.processed.map((o) => o.action)).toEqual(["duplicate"]);
    expect(await world.db.select().from(tables.requests)).toHaveLength(1);
    const [checkpoint] = await world.db.select().from(tables.portalMeta).where(like(tables.portalMeta.key, "intake:checkpoint:%"));
    expect(checkpoint!.value).toMatchObject({ lastUid: 4 });
  });

  it("a message over the size limit is filed for staff without being read", async () => {
    settings.maxMessageBytes = 32 * 1024;
    await append(fixture("huge-attachment.eml"));
    const report = await runImapOnce(deps());
    expect(report.processed).toEqual([expect.objectContaining({ action: "needs_attention", folder: "needs_attention" })]);
    expect(report.processed[0]!.reason).toContain("over the 32 KB limit");
    expect(await count(settings.attentionFolder)).toBe(1);
    expect(await emailAudit("email.needs_attention")).toHaveLength(1);
  });

  it("parsing on a worker thread (emailReaderThread) gives the same outcomes, a spreadsheet's attachment included", async () => {
    const earlier = await requestFromPriya();
    settings.maxMessageBytes = 32 * 1024;
    await append(
      fixture("reinstatement-authenticated.eml"),
      fixture("reply-outlook-multipart.eml", { "REQ-000123": earlier.reference }),
      fixture("bulk-csv-attachment.eml"),
      fixture("auto-reply-out-of-office.eml"),
      fixture("malformed-mime.eml"),
      fixture("huge-attachment.eml"),
    );
    const reader = emailReaderThread();
    try {
      const report = await runImapOnce(deps({ reader }));
      expect(report.failed).toEqual([]);
      expect(report.processed.map((o) => [o.kind, o.action])).toEqual([
        ["reinstatement", "request_submitted"],
        ["reply", "note_added"],
        ["bulk", "bulk_imported"],
        ["auto_reply", "ignored"],
        ["unclassified", "needs_attention"],
        ["unclassified", "needs_attention"],
      ]);
      expect(report.processed[5]!.reason).toContain("over the 32 KB limit");
    } finally {
      await reader.close();
    }
    // The spreadsheet crossed back from the thread as bytes the importer could read.
    const [imported] = await emailAudit("email.bulk_imported");
    expect((imported!.detail as { rows: number }).rows).toBeGreaterThan(0);
    expect(await world.db.select().from(tables.requestNotes).where(eq(tables.requestNotes.requestId, earlier.requestId))).toHaveLength(1);
    expect(await count(settings.mailbox)).toBe(0);
  });

  it("the listener waits in IDLE and takes new mail as it arrives", async () => {
    const listener = startImapListener(deps());
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await append(fixture("unclassified-plain.eml"));
      await expect.poll(() => count(settings.attentionFolder), { timeout: 15_000, interval: 200 }).toBe(1);
    } finally {
      await listener.stop();
    }
    expect(await emailAudit("email.needs_attention")).toHaveLength(1);
  });
});
