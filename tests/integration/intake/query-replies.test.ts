import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { ingestEmail } from "@/lib/intake/ingest-email";
import { sendOperatorMessage } from "@/lib/queries/open-query";
import { queryThreadDetail } from "@/lib/queries/queries";
import { actorFor, BASE_URL, PRIYA, SAM, viewerFor, createRequestWorld, type RequestWorld } from "@/tests/integration/requests/fixtures";
import { AUTHSERV_ID } from "./email-fixtures";

/**
 * AUP-2.1d: query threads are answered by email through the intake. A reply whose subject
 * carries [QRY-…] is appended to that thread in the intake's own per-message transaction — once,
 * however often the message is fetched — and anything the thread's rules refuse goes to staff.
 */


/** An email as our mail server hands it over: authenticated (SPF/DKIM/DMARC pass) unless told otherwise. */
function email(options: { from: string; subject: string; body: string; messageId: string; authenticated?: boolean }): Buffer {
  const domain = options.from.split("@")[1]!;
  const verdict = options.authenticated === false ? "fail" : "pass";
  return Buffer.from(
    [
      `Authentication-Results: ${AUTHSERV_ID};`,
      ` spf=${verdict} smtp.mailfrom=${domain};`,
      ` dkim=${verdict} header.d=${domain};`,
      ` dmarc=${verdict} action=none header.from=${domain}`,
      `From: ${options.from}`,
      "To: Brokerage Team <brokerage@council.example.org>",
      `Subject: ${options.subject}`,
      "Date: Tue, 5 May 2026 09:54:12 +0100",
      `Message-ID: <${options.messageId}>`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 7bit",
      "",
      options.body,
      "",
    ].join("\r\n"),
  );
}

describe("query replies by email through the intake (AUP-2.1d)", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => world?.dispose());

  const ingest = (raw: Buffer) => ingestEmail({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, raw, settings: { authservId: AUTHSERV_ID } });

  async function operatorQuery() {
    const priya = { db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, actor: await actorFor(world.db, PRIYA, "web"), viewer: await viewerFor(world, PRIYA) };
    const { queryId, reference } = await sendOperatorMessage({ ...priya, input: { subject: "New office address", body: "We move on 1 June." } });
    const messages = async () => (await queryThreadDetail(world.db, priya.viewer, queryId)).messages.map((m) => [m.side, m.channel, m.body]);
    return { queryId, reference, messages };
  }

  const counts = async () => ({
    messages: (await world.db.select().from(tables.queryMessages)).length,
    audit: (await world.db.select().from(tables.auditEvents)).length,
  });

  it("AUP-2.1d a staff reply and then the provider's answer by email are appended to the thread once each, quoted history removed; fetching again changes nothing", async () => {
    const { queryId, reference, messages } = await operatorQuery();
    const staffReply = email({
      from: SAM,
      subject: `Re: [${reference}] New office address`,
      messageId: "staff-reply-1@council.example.org",
      body: ["Thank you, noted for 1 June.", "", "On Tue, 5 May 2026 Priya Shah wrote:", "> We move on 1 June."].join("\r\n"),
    });
    const outcome = await ingest(staffReply);
    expect(outcome).toMatchObject({ kind: "reply", action: "query_replied", folder: "processed", senderVerified: true });
    expect(outcome.reason).toContain(reference);

    const again = await ingest(staffReply);
    expect(again).toMatchObject({ action: "duplicate" });

    const provider = await ingest(email({ from: PRIYA, subject: `RE: [${reference}] Reply to: New office address`, messageId: "provider-reply-1@meadowbank-care.example.org", body: "The new address is 1 High Street." }));
    expect(provider).toMatchObject({ kind: "reply", action: "query_replied", folder: "processed" });

    expect(await messages()).toEqual([
      ["provider", "web", "We move on 1 June."],
      ["operator", "email", "Thank you, noted for 1 June."],
      ["provider", "email", "The new address is 1 High Street."],
    ]);
    const [thread] = await world.db.select().from(tables.queryThreads).where(eq(tables.queryThreads.id, queryId));
    expect(thread!.status).toBe("awaiting_operator");
    // The claim row, the message's audit event and the intake's own event committed together.
    const actions = (await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents)).map((e) => e.action);
    expect(actions.filter((a) => a === "query.answered")).toHaveLength(1);
    expect(actions.filter((a) => a === "email.query_replied")).toHaveLength(2);
    const inbound = await world.db.select().from(tables.inboundMessages).where(eq(tables.inboundMessages.messageId, "staff-reply-1@council.example.org"));
    expect(inbound).toMatchObject([{ classification: "reply", action: "query_replied", folder: "processed" }]);
    // The staff reply is emailed to the person who opened the query, with the reference to answer by.
    const mail = await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "query_reply"));
    expect(mail.map((m) => [m.to, m.subject.includes(reference)])).toEqual([[[PRIYA], true]]);
  });

  it("AUP-2.1d an unauthenticated sender, an unknown query or a sender who may not write in it goes to Needs attention and nothing is appended", async () => {
    const { reference, messages } = await operatorQuery();
    const before = await counts();

    const forged = await ingest(email({ from: SAM, subject: `Re: [${reference}] New office address`, messageId: "forged-1@evil.example.com", body: "Closing this.", authenticated: false }));
    expect(forged).toMatchObject({ kind: "reply", action: "needs_attention", folder: "needs_attention", senderVerified: false });
    expect(forged.reason).toContain("could not be verified");

    const unknown = await ingest(email({ from: PRIYA, subject: "Re: [QRY-999999] New office address", messageId: "unknown-1@meadowbank-care.example.org", body: "Any news?" }));
    expect(unknown).toMatchObject({ kind: "reply", action: "needs_attention", folder: "needs_attention" });
    expect(unknown.reason).toContain("QRY-999999: No query has that reference.");

    const stranger = await ingest(email({ from: "someone@elsewhere.example.net", subject: `Re: [${reference}] New office address`, messageId: "stranger-1@elsewhere.example.net", body: "Hello" }));
    expect(stranger).toMatchObject({ action: "needs_attention", folder: "needs_attention" });
    expect(stranger.reason).toContain("may write in that query");

    expect(await messages()).toEqual([["provider", "web", "We move on 1 June."]]);
    const after = await counts();
    expect(after.messages).toBe(before.messages);
    // Only the intake's own email.needs_attention events were written: no reply event.
    const actions = (await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents)).map((e) => e.action);
    expect(actions.filter((a) => a === "query.answered" || a === "query.replied" || a === "email.query_replied")).toEqual([]);
    expect(actions.filter((a) => a === "email.needs_attention")).toHaveLength(3);
  });

  it("AUP-2.1d a staff reply by email without the portal's address goes to Needs attention rather than send a broken sign-in link", async () => {
    const { reference, messages } = await operatorQuery();
    const outcome = await ingestEmail({
      db: world.db,
      clock: world.clock,
      config: world.config,
      raw: email({ from: SAM, subject: `Re: [${reference}] New office address`, messageId: "staff-reply-2@council.example.org", body: "Noted." }),
      settings: { authservId: AUTHSERV_ID },
    });
    expect(outcome).toMatchObject({ action: "needs_attention", folder: "needs_attention" });
    expect(outcome.reason).toContain("PORTAL_URL");
    expect(await messages()).toEqual([["provider", "web", "We move on 1 June."]]);
  });
});
