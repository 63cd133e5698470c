import { readFileSync } from "node:fs";
import path from "node:path";
import { PRIYA } from "@/tests/integration/requests/fixtures";

/** The intake tests' mail: the .eml files in tests/fixtures/email, and messages made on the spot. */

/** Our own mail server's name in Authentication-Results (the only results the intake trusts). */
export const AUTHSERV_ID = "mx.council.example.org";

const FIXTURES = path.resolve(__dirname, "../../fixtures/email");

/** A fixture message's bytes, with `replace` applied to its text. */
export function fixture(name: string, replace: Record<string, string> = {}): Buffer {
  let text = readFileSync(path.join(FIXTURES, name), "latin1");
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return Buffer.from(text, "latin1");
}

/** A plain-text message from Priya (the demo Lead correspondent) that passed SPF, DKIM and DMARC at our server. */
export function fromPriyaAuthenticated(message: { subject: string; messageId: string; text: string }): Buffer {
  return Buffer.from(
    [
      `Authentication-Results: ${AUTHSERV_ID}; spf=pass smtp.mailfrom=meadowbank-care.example.org; dkim=pass header.d=meadowbank-care.example.org; dmarc=pass header.from=meadowbank-care.example.org`,
      `From: Priya Shah <${PRIYA}>`,
      "To: brokerage@council.example.org",
      `Subject: ${message.subject}`,
      `Message-ID: <${message.messageId}>`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      message.text,
      "",
    ].join("\r\n"),
  );
}
