import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";

/** A plain-text reply of the intake to a sender (a refusal, or word that staff will read it). */
export function intakeReplyMessage(config: PortalConfig, reply: { to: string; subject: string; text: string; requestId: string | null; key: string }): OutboundMessage {
  const subject = reply.subject.trim() ? (/^re:/i.test(reply.subject.trim()) ? reply.subject.trim() : `Re: ${reply.subject.trim()}`) : `Your email to ${config.operator.teamName}`;
  return {
    kind: "intake_reply",
    to: [reply.to],
    subject: subject.slice(0, 250),
    text: [
      "Hello,",
      "",
      reply.text,
      "",
      "This is an automatic reply: please do not answer it.",
      "",
      `${config.operator.teamName}, ${config.operator.name}`,
      `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`,
    ].join("\n"),
    requestId: reply.requestId,
    idempotencyKey: reply.key,
  };
}
