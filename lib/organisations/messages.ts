import { randomUUID } from "node:crypto";
import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";
import { caseKindLabels, formatCaseReference, type CaseKind } from "./rules";

/**
 * The organisation emails: the licence alert to the Lead correspondent and staff (CC-2a), and
 * the notice that a provider's accounts are suspended (UAP-5.3). Plain text.
 */

function signOff(config: PortalConfig): string[] {
  return ["", `${config.operator.teamName}, ${config.operator.name}`, `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`];
}

export function licenceAlertEmail(
  config: PortalConfig,
  organisation: { id: string; name: string; odsCode: string },
  use: { used: number; allocation: number; year: number; percent: number },
  to: string[],
): OutboundMessage {
  return {
    kind: "licence_alert",
    to,
    subject: `${organisation.name} has used ${use.used} of its ${use.allocation} licences for ${use.year}`,
    text: [
      `${organisation.name} (${organisation.odsCode}) now holds or has requested ${use.used} of the ${use.allocation} accounts (licences) allocated to it for ${use.year}: ${use.percent}%, past the ${config.licences.alertThresholdPercent}% alert level.`,
      "",
      "When all are used, requests for new users are refused.",
      "Lead correspondent: ask for the suspension of accounts no longer needed, or contact us about the allocation.",
      `${config.operator.teamName}: review the allocation on the organisation's page in the back office.`,
      ...signOff(config),
    ].join("\n"),
    // Each crossing is its own message, even at the same numbers: the allocation row, not the
    // outbox key, is what makes it once per crossing.
    idempotencyKey: `licence_alert:${organisation.id}:${use.year}:${randomUUID()}`,
  };
}

export function accessSuspendedEmail(
  config: PortalConfig,
  organisation: { id: string; name: string },
  kase: { id: string; number: number; kind: CaseKind },
  to: string[],
): OutboundMessage {
  const reference = formatCaseReference(kase.number);
  return {
    kind: "organisation_access_suspended",
    to,
    cc: [config.operator.mailbox].filter((m) => !to.includes(m)),
    subject: `${reference}: ${organisation.name}'s ${config.operator.shortName} accounts are suspended`,
    text: [
      `We have been told of the ${caseKindLabels[kase.kind].toLowerCase()} of ${organisation.name}.`,
      "",
      `Every ${config.operator.shortName} account of ${organisation.name} has been suspended, and anyone signed in has been signed out.`,
      "Accounts are never deleted. Where someone still needs access to carry on caring for people, we will grant it case by case:",
      `reply to this email quoting ${reference}.`,
      "",
      `To close the case we need written confirmation from the registered manager or the appointed administrator.`,
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `organisation_access_suspended:${kase.id}`,
  };
}
