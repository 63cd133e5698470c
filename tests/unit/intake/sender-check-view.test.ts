import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SenderCheck } from "@/app/staff/requests/[id]/sender-check";
import type { SenderEvidence } from "@/lib/requests/schema";

/** UAP-A.8: what the staff request page shows about an emailed request's sender. */

const failed: SenderEvidence = {
  email: "lee.jones@meadowbank-care.example.org",
  displayName: "Lee Jones",
  authenticated: false,
  emailMatchesAccount: true,
  nameMatchesAccount: true,
  messageId: "forged-1@evil.example.com",
  authentication: {
    verified: false,
    authservId: "mx.council.example.org",
    spf: { result: "fail", domain: "evil.example.com", aligned: false },
    dkim: { result: "none", domain: null, aligned: false },
    dmarc: { result: "fail", domain: "meadowbank-care.example.org", aligned: true },
    reason: "DMARC failed for meadowbank-care.example.org.",
  },
};

// The unit project runs .ts files: the element is made without JSX.
const render = (sender: SenderEvidence) => renderToStaticMarkup(createElement(SenderCheck, { sender }));

describe("the sender check on the staff request page", () => {
  it("UAP-A.8 warns (GOV.UK warning text) and shows SPF, DKIM and DMARC for a sender that failed authentication", () => {
    const html = render(failed);
    expect(html).toContain('class="govuk-warning-text"');
    expect(html).toContain('<span class="govuk-visually-hidden">Warning</span>');
    expect(html).toContain("fail for evil.example.com, does NOT match the From address&#x27;s domain");
    expect(html).toContain("DMARC failed for meadowbank-care.example.org.");
    expect(html).toContain("mx.council.example.org");
    expect(html).toContain("forged-1@evil.example.com");
  });

  it("UAP-A.8 no warning once a member of staff has confirmed the sender; the confirmation and its note are shown", () => {
    const html = render({ ...failed, confirmation: { confirmedById: null, confirmedByLabel: "Sam Patel", confirmedAt: "2026-05-05T10:00:00.000Z", note: "Called Lee on the number on file.", channel: "web" } });
    expect(html).not.toContain("govuk-warning-text");
    expect(html).toContain("By Sam Patel");
    expect(html).toContain("Called Lee on the number on file.");
  });

  it("UAP-A.8 no warning for an authenticated sender whose address and name match", () => {
    const html = render({ ...failed, authenticated: true, authentication: { ...failed.authentication!, verified: true } });
    expect(html).not.toContain("govuk-warning-text");
  });
});
