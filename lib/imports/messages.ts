import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";
import { formatDueTime } from "../requests/rules";

/**
 * The acknowledgement of a bulk user request (UCP-BULK-1): one email to the requester listing
 * every reference, where the single form sends one per request — a file of 200 people should
 * not fill a Lead correspondent's inbox with 200 messages.
 */
export function batchAcknowledgementMessage(
  config: PortalConfig,
  batch: {
    organisation: { id: string; name: string };
    requester: { fullName: string; email: string };
    requests: { reference: string; title: string }[];
    dueAt: Date;
    receivedAt: Date;
  },
): OutboundMessage {
  const { requests } = batch;
  const first = requests[0]?.reference ?? "";
  const last = requests.at(-1)?.reference ?? "";
  const range = requests.length === 1 ? first : `${first} to ${last}`;
  const due = formatDueTime(batch.dueAt, config.requests.serviceHours.timeZone);
  return {
    kind: "request_acknowledgement",
    to: [batch.requester.email],
    subject: `${requests.length === 1 ? "1 request" : `${requests.length} requests`} received (${range}): new users for ${batch.organisation.name}`,
    text: [
      `Dear ${batch.requester.fullName},`,
      "",
      `We have received your request${requests.length === 1 ? "" : "s"} for ${requests.length === 1 ? "a new user" : `${requests.length} new users`} from your file:`,
      "",
      ...requests.map((r) => `${r.reference}: ${r.title}`),
      "",
      `${config.operator.teamName} will action ${requests.length === 1 ? "it" : "them"} by ${due}.`,
      "Quote a request's reference in any message about it.",
      "",
      `${config.operator.teamName}, ${config.operator.name}`,
      `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`,
    ].join("\n"),
    requestId: null,
    idempotencyKey: `bulk_acknowledgement:${batch.organisation.id}:${batch.receivedAt.toISOString()}:${first}`,
  };
}
