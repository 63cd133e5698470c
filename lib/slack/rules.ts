import type { PortalConfig } from "../config";
import { checkAction, senderUnconfirmed, type LeadConfirmations, type RequestType } from "../requests/rules";
import type { SenderEvidence } from "../requests/schema";

/**
 * Slack's own decisions, pure: which warnings a queue message shows, and what must be done in
 * the portal before a request may be approved from Slack. The request rules themselves stay
 * in lib/requests/rules.ts; these only decide what Slack, with its narrow view, may do.
 */

export interface WarningFacts {
  sender: SenderEvidence | null;
  missingConfirmations: readonly string[];
  /** CC-2a: licences in use and the allocation, for requests that take a licence. */
  licence: { used: number; allocation: number } | null;
  licenceAlertThresholdPercent: number;
  emailAttested: boolean;
}

/** A sender that failed authentication or does not match the account (UAP-A.8), not yet confirmed by staff. */
export function senderNeedsCheck(sender: SenderEvidence | null): boolean {
  return senderUnconfirmed(sender);
}

/** The warnings a queue message shows, most serious first. */
export function requestWarnings(facts: WarningFacts): string[] {
  const warnings: string[] = [];
  if (facts.sender && senderNeedsCheck(facts.sender)) {
    const why = [
      !facts.sender.authenticated ? "did not pass sender authentication" : null,
      facts.sender.emailMatchesAccount === false ? "is not the account's address" : null,
      facts.sender.nameMatchesAccount === false ? "gave a name that does not match the account" : null,
    ].filter(Boolean);
    warnings.push(`Unverified email sender: ${facts.sender.email} ${why.join(", ")} (UAP-A.8).`);
  }
  if (facts.missingConfirmations.length > 0) {
    warnings.push(`Confirmations missing: ${facts.missingConfirmations.join(" and ")} (UAP-A.3).`);
  }
  if (facts.licence && facts.licence.allocation > 0) {
    const percent = Math.round((facts.licence.used / facts.licence.allocation) * 100);
    if (percent >= facts.licenceAlertThresholdPercent) {
      warnings.push(`Licences near the limit: ${facts.licence.used} of ${facts.licence.allocation} in use (CC-2a).`);
    }
  }
  if (facts.emailAttested) warnings.push("Email domain not on the accepted list: the requester attested it (UCP-EMAIL-1).");
  return warnings;
}

export interface ApprovalFacts {
  type: RequestType;
  leadConfirmations: LeadConfirmations | undefined;
  relatedSystems: Record<string, unknown> | undefined;
  sender: SenderEvidence | null;
}

/**
 * Why this request cannot be approved from Slack, or null. A change of Lead correspondent needs
 * both confirmations recorded in the portal first (UAP-A.3: the request rules say so); a
 * request whose sender did not check out needs a person to judge the evidence in the portal
 * (UAP-A.8), which Slack's message cannot show in full.
 */
export function slackApprovalBlocker(facts: ApprovalFacts, config: Pick<PortalConfig, "requests">): string | null {
  // Ask the request rules as if the request were in progress: only a rule, not the status, blocks here.
  const check = checkAction("approve", { type: facts.type, status: "in_progress", leadConfirmations: facts.leadConfirmations, relatedSystems: facts.relatedSystems }, config);
  if (!check.ok) return `${check.reason} Record them in the portal, then approve.`;
  if (senderNeedsCheck(facts.sender)) return "The sender of this emailed request did not check out (UAP-A.8): check the evidence and confirm the sender in the portal, then approve.";
  return null;
}
