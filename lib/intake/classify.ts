import { parseQueryReference, queryReference } from "../queries/rules";
import { parseReference } from "../requests/rules";
import type { IncomingEmail } from "./parse-email";

/**
 * What an email to the operator mailbox is, decided by explainable rules: the first rule that
 * matches wins, and its reason is stored with the outcome so staff can see why. Pure: the
 * intake then looks the sender up and acts (lib/intake/ingest-email.ts).
 */
export const intakeKinds = ["reinstatement", "leaver", "lead_change", "reply", "bulk", "auto_reply", "bounce", "unclassified"] as const;
export type IntakeKind = (typeof intakeKinds)[number];

export interface Classification {
  kind: IntakeKind;
  reason: string;
  /** For a reply: the request number its reference names. */
  requestNumber?: number;
  /** For a reply to a query thread (AUP-2.1d): the query number its QRY- reference names. */
  queryNumber?: number;
  /** For a bounce: the Message-IDs of the returned message, and who could not be reached. */
  bouncedMessageIds?: string[];
  failedRecipients?: string[];
}

export interface ClassifyContext {
  /** The operator mailbox itself: mail from it is a loop. */
  operatorMailbox: string;
}

const header = (email: IncomingEmail, name: string) => email.headers.find((h) => h.name === name)?.value ?? null;

/** RFC 3834 and the common vendor headers: mail written by a machine, never to be answered. */
export function autoReplyReason(email: IncomingEmail, context: ClassifyContext): string | null {
  const from = email.from?.address.toLowerCase() ?? "";
  if (from && from === context.operatorMailbox.toLowerCase()) return "It comes from the operator mailbox itself (a mail loop).";
  const autoSubmitted = header(email, "auto-submitted");
  if (autoSubmitted && autoSubmitted.toLowerCase() !== "no") return `Auto-Submitted: ${autoSubmitted}.`;
  for (const name of ["x-autoreply", "x-autorespond", "x-autoresponder"]) {
    if (header(email, name)) return `It carries ${name}.`;
  }
  const precedence = header(email, "precedence")?.toLowerCase();
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) return `Precedence: ${precedence}.`;
  if (header(email, "list-id") || header(email, "list-unsubscribe")) return "It is mailing-list traffic (List-Id / List-Unsubscribe).";
  if (header(email, "x-loop")?.toLowerCase().includes(context.operatorMailbox.toLowerCase())) return "X-Loop names the operator mailbox (a mail loop).";
  if (/^(?:auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|autoreply|abwesenheitsnotiz)\b/i.test(email.subject.trim())) return `The subject "${email.subject}" is an automatic reply's.`;
  return null;
}

function bounceInfo(email: IncomingEmail): { reason: string; ids: string[]; recipients: string[] } | null {
  const isReport = /^multipart\/report/.test(email.contentType) && /report-type="?delivery-status/.test(email.contentType);
  const from = email.from?.address.toLowerCase() ?? "";
  const daemon = /^(?:mailer-daemon|postmaster)@/.test(from);
  const nullSender = header(email, "return-path")?.replace(/\s/g, "") === "<>";
  const bounceSubject = /^(?:undeliver|undelivered|delivery status notification|returned mail|failure notice|mail delivery failed|delivery has failed)/i.test(email.subject.trim());
  if (!isReport && !(daemon && bounceSubject) && !(nullSender && bounceSubject)) return null;
  // The returned message's headers come as an attachment (text/rfc822-headers or message/rfc822).
  const returned = email.attachments
    .filter((a) => a.contentType === "text/rfc822-headers" || a.contentType === "message/rfc822" || a.contentType === "message/delivery-status")
    .map((a) => a.content.toString("utf8"))
    .join("\n");
  const source = `${returned}\n${email.text}`;
  const ids = [...source.matchAll(/^message-id:\s*<?([^>\s]+)>?/gim)].map((m) => m[1]!.toLowerCase()).filter((id) => id !== email.messageId);
  const recipients = [...source.matchAll(/^(?:final|original)-recipient:\s*rfc822;\s*<?([^>\s]+)>?/gim)].map((m) => m[1]!.toLowerCase());
  const reason = isReport ? "It is a delivery status report (multipart/report)." : `It is a bounce from ${from || "the null sender"} ("${email.subject}").`;
  return { reason, ids: [...new Set(ids)], recipients: [...new Set(recipients)] };
}

/** A REQ-000123 reference in the subject (as every email of ours carries), or in the reply headers. */
export function referencedRequest(email: IncomingEmail): number | null {
  for (const text of [email.subject, email.inReplyTo ?? "", ...email.references]) {
    const match = /\bREQ-?(\d{1,15})\b/i.exec(text);
    if (match) {
      const n = parseReference(match[1]!);
      if (n) return n;
    }
  }
  return null;
}

const requestIn = (text: string): number | null => {
  const match = /\bREQ-?(\d{1,15})\b/i.exec(text);
  return match ? parseReference(match[1]!) : null;
};

/**
 * What a reply answers: the subject first (a query's subject may quote a request's reference,
 * "[QRY-000007] Reply to: About REQ-000045", and is the query's), then the reply headers.
 */
export function referencedThread(email: IncomingEmail): { requestNumber: number } | { queryNumber: number } | null {
  for (const text of [email.subject, email.inReplyTo ?? "", ...email.references]) {
    const query = parseQueryReference(text);
    if (query) return { queryNumber: query };
    const request = requestIn(text);
    if (request) return { requestNumber: request };
  }
  return null;
}

/** A CSV or XLSX attachment: a bulk request for the importer (UCP-BULK-1). */
export const isSpreadsheet = (a: IncomingEmail["attachments"][number]) =>
  /\.(csv|xlsx)$/i.test(a.filename ?? "") || ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"].includes(a.contentType);

const LEAD_CHANGE = /\b(?:new lead correspondent|lead correspondent (?:change|is changing|will change)|change (?:of|the) lead correspondent|taking over as (?:the )?lead|make me the lead)\b/i;
const REINSTATEMENT = /\b(?:reinstat\w*|re-?activat\w*|re-?enabl\w*|unsuspend\w*|restore (?:my )?access|(?:my )?account (?:has been |was |is )suspended)\b/i;
const LEAVER = /\b(?:leaver|has left|have left|is leaving|left (?:the|our) (?:organisation|organization|company|service|home)|no longer (?:works?|employed|with us|needs? access)|deactivat\w*|please suspend|moved to another (?:organisation|organization|provider))\b/i;

/** Quoted history (replies and forwards) is not the sender's own words: classification ignores it. */
export function ownWords(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const joined = `${line} ${lines[i + 1] ?? ""}`;
    if (/^-{2,}\s*(?:original message|forwarded message)\s*-{2,}/i.test(line.trim())) break;
    if (/^_{10,}$/.test(line.trim())) break;
    if (/^from:\s.+/i.test(line.trim()) && /^(?:sent|date):\s/i.test((lines[i + 1] ?? "").trim())) break;
    if (/^on\s.+/i.test(line.trim()) && (/wrote:\s*$/i.test(line) || /wrote:\s*$/i.test(joined))) break;
    if (line.startsWith(">")) continue;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

export function classifyEmail(email: IncomingEmail, context: ClassifyContext): Classification {
  const bounce = bounceInfo(email);
  if (bounce) return { kind: "bounce", reason: bounce.reason, bouncedMessageIds: bounce.ids, failedRecipients: bounce.recipients };
  const auto = autoReplyReason(email, context);
  if (auto) return { kind: "auto_reply", reason: auto };
  const thread = referencedThread(email);
  if (thread && "queryNumber" in thread) return { kind: "reply", reason: `It quotes the query reference ${queryReference(thread.queryNumber)}.`, queryNumber: thread.queryNumber };
  if (thread) return { kind: "reply", reason: `It quotes the reference REQ-${String(thread.requestNumber).padStart(6, "0")}.`, requestNumber: thread.requestNumber };
  const sheet = email.attachments.find(isSpreadsheet);
  if (sheet) return { kind: "bulk", reason: `It has a spreadsheet attached (${sheet.filename ?? sheet.contentType}).` };
  const words = `${email.subject}\n${ownWords(email.text)}`;
  const rules: [IntakeKind, RegExp, string][] = [
    ["lead_change", LEAD_CHANGE, "a change of Lead correspondent"],
    ["reinstatement", REINSTATEMENT, "reinstatement"],
    ["leaver", LEAVER, "a leaver or deactivation"],
  ];
  for (const [kind, pattern, label] of rules) {
    const match = pattern.exec(words);
    if (match) return { kind, reason: `It asks for ${label} ("${match[0]}").` };
  }
  return { kind: "unclassified", reason: "No rule matched: staff read it in the triage queue." };
}

/** Email addresses written in the sender's own words (for a leaver notice: who is leaving). */
export function mentionedAddresses(email: IncomingEmail): string[] {
  const words = `${email.subject}\n${ownWords(email.text)}`;
  return [...new Set([...words.matchAll(/[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi)].map((m) => m[0].toLowerCase()))];
}

/** The suspension reason a leaver notice gives (UCP-USR-2), in the request schema's terms. */
export function leaverReason(email: IncomingEmail): "leaver" | "moved_organisation" | "no_longer_needed" {
  const words = ownWords(email.text);
  if (/moved to another/i.test(words)) return "moved_organisation";
  if (/\b(?:leaver|left|leaving)\b/i.test(words)) return "leaver";
  return "no_longer_needed";
}
