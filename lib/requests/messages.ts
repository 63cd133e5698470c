import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";
import { formatDueTime } from "./rules";

/**
 * The emails of the request flow (CC-6): acknowledgement on receipt, resolution or rejection
 * to the requester, and the licence alert to the organisation's authorisers (CC-2a). Plain
 * text; the reference is in every subject so replies find their request.
 */

interface RequestRef {
  id: string;
  reference: string;
  title: string;
}

interface Person {
  fullName: string;
  email: string;
}

function signOff(config: PortalConfig): string[] {
  return ["", `${config.operator.teamName}, ${config.operator.name}`, `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`];
}

export function acknowledgementMessage(config: PortalConfig, request: RequestRef & { dueAt: Date }, requester: Person): OutboundMessage {
  const due = formatDueTime(request.dueAt, config.requests.serviceHours.timeZone);
  return {
    kind: "request_acknowledgement",
    to: [requester.email],
    subject: `${request.reference} received: ${request.title}`,
    text: [
      `Dear ${requester.fullName},`,
      "",
      `We have received your request ${request.reference}: ${request.title}.`,
      `${config.operator.teamName} will action it by ${due}.`,
      "",
      `Quote ${request.reference} in any message about this request.`,
      ...signOff(config),
    ].join("\n"),
    requestId: request.id,
    idempotencyKey: `request_acknowledgement:${request.id}`,
  };
}

export function resolutionMessage(config: PortalConfig, request: RequestRef, requester: Person, outcome: string): OutboundMessage {
  return {
    kind: "request_resolved",
    to: [requester.email],
    subject: `${request.reference} done: ${request.title}`,
    text: [`Dear ${requester.fullName},`, "", `Your request ${request.reference} (${request.title}) has been actioned.`, "", outcome, ...signOff(config)].join("\n"),
    requestId: request.id,
    idempotencyKey: `request_resolved:${request.id}`,
  };
}

export function rejectionMessage(config: PortalConfig, request: RequestRef, requester: Person, reason: string): OutboundMessage {
  return {
    kind: "request_rejected",
    to: [requester.email],
    subject: `${request.reference} not actioned: ${request.title}`,
    text: [
      `Dear ${requester.fullName},`,
      "",
      `Your request ${request.reference} (${request.title}) has not been actioned, for this reason:`,
      "",
      reason,
      "",
      `If you think this is wrong, reply to this email quoting ${request.reference}.`,
      ...signOff(config),
    ].join("\n"),
    requestId: request.id,
    idempotencyKey: `request_rejected:${request.id}`,
  };
}

export function licenceAlertMessage(
  config: PortalConfig,
  organisation: { id: string; name: string },
  use: { used: number; allocation: number; year: number },
  to: string[],
): OutboundMessage {
  return {
    kind: "licence_alert",
    to,
    subject: `${organisation.name} has used ${use.used} of its ${use.allocation} licences for ${use.year}`,
    text: [
      "Dear Lead correspondent,",
      "",
      `${organisation.name} now holds or has requested ${use.used} of the ${use.allocation} accounts (licences) allocated to it for ${use.year}.`,
      "When all are used, requests for new users are refused. Ask for suspensions of accounts no longer needed, or contact us about the allocation.",
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `licence_alert:${organisation.id}:${use.year}:${use.used}/${use.allocation}`,
  };
}
