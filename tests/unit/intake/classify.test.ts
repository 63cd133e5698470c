import { describe, expect, it } from "vitest";
import { senderAuthentication } from "@/lib/intake/authentication";
import { classifyEmail, leaverReason, mentionedAddresses, ownWords } from "@/lib/intake/classify";
import { AUTHSERV_ID, OPERATOR_MAILBOX, parsed } from "./fixtures";

const context = { operatorMailbox: OPERATOR_MAILBOX };

describe("classifying the operator mailbox's email (issue 7)", () => {
  it.each([
    ["reinstatement-authenticated.eml", "reinstatement"],
    ["reinstatement-display-name-spoof.eml", "reinstatement"],
    ["reinstatement-failed-authentication.eml", "reinstatement"],
    ["leaver-iso-8859-1.eml", "leaver"],
    ["lead-change-windows-1252.eml", "lead_change"],
    ["reply-outlook-multipart.eml", "reply"],
    ["reply-gmail-html-only.eml", "reply"],
    ["bulk-csv-attachment.eml", "bulk"],
    ["auto-reply-out-of-office.eml", "auto_reply"],
    ["mailing-list.eml", "auto_reply"],
    ["bounce-dsn.eml", "bounce"],
    ["forwarded-message.eml", "unclassified"],
    ["unclassified-plain.eml", "unclassified"],
    ["malformed-mime.eml", "unclassified"],
  ])("%s is %s, with the reason stated", async (file, kind) => {
    const result = classifyEmail(await parsed(file), context);
    expect(result.kind).toBe(kind);
    expect(result.reason.length).toBeGreaterThan(10);
  });

  it("UAP-A.8 an out-of-office reply that mentions reinstating and quotes a reference is still an automatic reply, never answered", async () => {
    expect(classifyEmail(await parsed("auto-reply-out-of-office.eml"), context)).toMatchObject({ kind: "auto_reply", reason: expect.stringContaining("Auto-Submitted") });
  });

  it("a mailing list that talks about Lead correspondents is list traffic, not a Lead change (UAP-A.3)", async () => {
    expect(classifyEmail(await parsed("mailing-list.eml"), context).reason).toContain("Precedence: bulk");
  });

  it("mail from the operator mailbox itself is a loop", async () => {
    const email = await parsed("unclassified-plain.eml");
    email.from = { address: OPERATOR_MAILBOX, name: null };
    expect(classifyEmail(email, context)).toMatchObject({ kind: "auto_reply", reason: expect.stringContaining("loop") });
  });

  it("a bounce names the returned message and the recipient that failed", async () => {
    expect(classifyEmail(await parsed("bounce-dsn.eml"), context)).toMatchObject({
      kind: "bounce",
      bouncedMessageIds: ["outbound-abc123@council.example.org"],
      failedRecipients: ["gone.person@meadowbank-care.example.org"],
    });
  });

  it("a reply finds its request by the reference in the subject, Outlook (RE:) or Gmail ([REQ-…])", async () => {
    expect(classifyEmail(await parsed("reply-outlook-multipart.eml"), context).requestNumber).toBe(123);
    expect(classifyEmail(await parsed("reply-gmail-html-only.eml"), context).requestNumber).toBe(123);
  });

  it("quoted history (Outlook headers, Gmail 'On … wrote:', '>' lines) is not the sender's own words", async () => {
    const outlook = ownWords((await parsed("reply-outlook-multipart.eml")).text);
    expect(outlook).toContain("Jane starts on Monday – could this be ready by then?");
    expect(outlook).not.toContain("We have received your request");
    const gmail = ownWords((await parsed("reply-gmail-html-only.eml")).text);
    expect(gmail).toBe("Her job title is Senior Carer, not Carer. Thank you!");
  });

  it("UCP-USR-2 a leaver notice in ISO-8859-1 names who is leaving, and why", async () => {
    const email = await parsed("leaver-iso-8859-1.eml");
    expect(email.subject).toBe("Leaver – Tom Baker (départ)");
    expect(email.from?.name).toBe("Priya Shah (Gérante)");
    expect(mentionedAddresses(email)).toEqual(["tom.baker@meadowbank-care.example.org"]);
    expect(leaverReason(email)).toBe("leaver");
  });

  it("UAP-A.3 a Windows-1252 base64 Lead change reads with its curly quotes and dashes", async () => {
    const email = await parsed("lead-change-windows-1252.eml");
    expect(email.text).toContain("Meadowbank Care – “starting today”");
  });
});

describe("UAP-A.8 sender authentication (Authentication-Results)", () => {
  const verdict = async (file: string, authservId: string | null = AUTHSERV_ID) => {
    const email = await parsed(file);
    return senderAuthentication(
      email.headers.filter((h) => h.name === "authentication-results").map((h) => h.value),
      { authservId, fromAddress: email.from?.address ?? null },
    );
  };

  it("UAP-A.8 DMARC, DKIM and SPF passing for the From domain, recorded by our own server, verify the sender", async () => {
    const result = await verdict("reinstatement-authenticated.eml");
    expect(result).toMatchObject({ verified: true, authservId: AUTHSERV_ID, dmarc: { result: "pass", aligned: true }, dkim: { result: "pass", domain: "meadowbank-care.example.org" } });
  });

  it("UAP-A.8 a failed DMARC is not rescued by a forged 'pass' header the sender added further down", async () => {
    const result = await verdict("reinstatement-failed-authentication.eml");
    expect(result.verified).toBe(false);
    expect(result.reason).toContain("DMARC failed");
  });

  it("UAP-A.8 a display name dressed as the account's address authenticates only the real address behind it", async () => {
    const email = await parsed("reinstatement-display-name-spoof.eml");
    expect(email.from).toEqual({ address: "someone@evil.example.com", name: "lee.jones@meadowbank-care.example.org" });
    expect((await verdict("reinstatement-display-name-spoof.eml")).verified).toBe(true);
  });

  it("UAP-A.8 results from another server, or with no trusted server configured, are not believed", async () => {
    expect((await verdict("reinstatement-authenticated.eml", "mx.elsewhere.example")).verified).toBe(false);
    expect((await verdict("reinstatement-authenticated.eml", null)).reason).toContain("IMAP_AUTHSERV_ID");
    expect((await verdict("mailing-list.eml")).reason).toContain("no sender authentication");
  });

  it("UAP-A.8 an SPF pass for another domain than the From address does not verify it", () => {
    const result = senderAuthentication(["mx.council.example.org; spf=pass smtp.mailfrom=bulk-sender.example.net; dkim=none"], {
      authservId: AUTHSERV_ID,
      fromAddress: "lee.jones@meadowbank-care.example.org",
    });
    expect(result.verified).toBe(false);
    expect(result.spf).toMatchObject({ result: "pass", aligned: false });
  });
});

describe("reading messages", () => {
  it("HTML-only, quoted-printable mail is read as text", async () => {
    const email = await parsed("reply-gmail-html-only.eml");
    expect(email.text).toContain("Her job title is Senior Carer");
    expect(email.messageId).toBe("caf=gmail-1@mail.gmail.com");
  });

  it("attachments are listed with their type and size (a spreadsheet, a forwarded message)", async () => {
    expect((await parsed("bulk-csv-attachment.eml")).attachments.map((a) => [a.filename, a.contentType])).toEqual([["new-starters.csv", "text/csv"]]);
    expect((await parsed("forwarded-message.eml")).attachments.map((a) => a.contentType)).toEqual(["message/rfc822"]);
  });

  it("a message over the size limit is refused with a clear reason, not parsed", async () => {
    await expect(parsed("huge-attachment.eml", 32 * 1024)).rejects.toMatchObject({ code: "validation", userMessage: expect.stringContaining("larger than 32 KB") });
    expect((await parsed("huge-attachment.eml")).attachments[0]?.size).toBeGreaterThan(32 * 1024);
  });

  it("malformed MIME gives what can be recovered and never throws; an empty message is refused clearly", async () => {
    const email = await parsed("malformed-mime.eml");
    expect(email.from).toBeNull();
    expect(email.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const { parseEmail } = await import("@/lib/intake/parse-email");
    await expect(parseEmail(Buffer.alloc(0))).rejects.toMatchObject({ code: "validation", userMessage: "The message is empty." });
  });
});
