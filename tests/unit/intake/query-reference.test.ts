import { describe, expect, it } from "vitest";
import { classifyEmail } from "@/lib/intake/classify";
import { OPERATOR_MAILBOX, parsed } from "./fixtures";

const context = { operatorMailbox: OPERATOR_MAILBOX };

/** A plain message from a provider, with the subject and reply headers a test gives it. */
async function message(subject: string, headers: { inReplyTo?: string; references?: string[] } = {}) {
  const email = await parsed("unclassified-plain.eml");
  email.subject = subject;
  email.inReplyTo = headers.inReplyTo ?? null;
  email.references = headers.references ?? [];
  return email;
}

describe("classifying replies to query threads (AUP-2.1d)", () => {
  it("AUP-2.1d a [QRY-…] reference in the subject is a reply to that query, with the reference in the reason", async () => {
    expect(classifyEmail(await message("Re: [QRY-000123] Reply to: Missed visit"), context)).toEqual({
      kind: "reply",
      reason: "It quotes the query reference QRY-000123.",
      queryNumber: 123,
    });
    expect(classifyEmail(await message("RE: qry-42 payment"), context)).toMatchObject({ kind: "reply", queryNumber: 42 });
  });

  it("AUP-2.1d the reply headers name the query when the subject was rewritten", async () => {
    expect(classifyEmail(await message("Our answer", { references: ["QRY-000007.abc@council.example.org"] }), context)).toMatchObject({ kind: "reply", queryNumber: 7 });
  });

  it("AUP-2.1d a query's subject quoting a request is the query's; a REQ reference alone is still the request's", async () => {
    const both = classifyEmail(await message("Re: [QRY-000007] Reply to: About REQ-000045"), context);
    expect(both).toMatchObject({ kind: "reply", queryNumber: 7 });
    expect(both.requestNumber).toBeUndefined();
    const request = classifyEmail(await message("Re: [REQ-000045] New user", { references: ["QRY-000007@council.example.org"] }), context);
    expect(request).toMatchObject({ kind: "reply", requestNumber: 45, reason: "It quotes the reference REQ-000045." });
    expect(request.queryNumber).toBeUndefined();
  });

  it("AUP-2.1d an automatic reply quoting a query reference is still an automatic reply, never answered", async () => {
    const email = await message("Automatic reply: [QRY-000123] Reply to: Missed visit");
    expect(classifyEmail(email, context)).toMatchObject({ kind: "auto_reply" });
    email.subject = "Re: [QRY-000123] Missed visit";
    email.headers.push({ name: "auto-submitted", value: "auto-replied" });
    expect(classifyEmail(email, context)).toMatchObject({ kind: "auto_reply", reason: expect.stringContaining("Auto-Submitted") });
  });

  it("QRY-0 and a bare QRY are no reference", async () => {
    expect(classifyEmail(await message("QRY-0 test"), context).queryNumber).toBeUndefined();
    expect(classifyEmail(await message("QRY about payments"), context).queryNumber).toBeUndefined();
  });
});
