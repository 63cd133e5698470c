import type { organisationStatuses } from "../db/schema/organisations";
import type { caseAuthorityRoles, organisationCaseActionKinds, organisationCaseKinds, organisationCaseModes } from "../db/schema/organisation-cases";

/**
 * The organisation domain's pure decisions: ODS codes, what a case does to an organisation's
 * status, when a case may close, when the licence alert is due, when a new Lead correspondent
 * is shown the guidance banner. No database, no clock of its own: unit-tested as they are.
 */

export type OrganisationStatus = (typeof organisationStatuses)[number];
export type CaseKind = (typeof organisationCaseKinds)[number];
export type CaseMode = (typeof organisationCaseModes)[number];
export type CaseAuthorityRole = (typeof caseAuthorityRoles)[number];
export type CaseActionKind = (typeof organisationCaseActionKinds)[number];

export const statusLabels: Record<OrganisationStatus, string> = { onboarding: "Onboarding", active: "Active", closing: "Closing", closed: "Closed" };
export const caseKindLabels: Record<CaseKind, string> = { closure: "Closure", administration: "Administration", change_of_ownership: "Change of ownership" };
export const caseModeLabels: Record<CaseMode, string> = { sudden: "Sudden", planned: "Planned" };
export const authorityRoleLabels: Record<CaseAuthorityRole, string> = {
  registered_manager: "Registered manager",
  appointed_administrator: "Appointed administrator",
};
export const caseActionLabels: Record<CaseActionKind, string> = { suspend_accounts: "Suspend the existing accounts", create_account: "Create an account" };

export const organisationTypeLabels: Record<string, string> = {
  local_authority: "Local authority",
  nhs_trust: "NHS trust",
  gp_practice: "GP practice",
  icb: "Integrated care board",
  social_care: "Social care",
  care_home: "Care home",
  domiciliary_care: "Domiciliary (home) care",
  charity: "Charity",
  other_non_nhs: "Other non-NHS organisation",
};

// ---------------------------------------------------------------------------------------
// ODS codes

/** NHS Organisation Data Service codes, as the portal accepts them: 3 to 6 letters and digits. */
const ODS_PATTERN = /^[A-Z0-9]{3,6}$/;

export type OdsCheck = { ok: true; code: string } | { ok: false; reason: string };

/**
 * UCP-ORG-1: an ODS code, trimmed and upper-cased (spaces inside are typing slips and go);
 * 3 to 6 letters and digits. Uniqueness is the database's (organisations_ods_code_key).
 */
export function parseOdsCode(input: string): OdsCheck {
  const code = (typeof input === "string" ? input : "").replace(/\s+/g, "").toUpperCase();
  if (!code) return { ok: false, reason: "Enter the organisation's ODS code" };
  if (!/^[A-Z0-9]+$/.test(code)) return { ok: false, reason: "The ODS code must contain only letters and numbers, like AB1C2" };
  if (!ODS_PATTERN.test(code)) return { ok: false, reason: "The ODS code must be 3 to 6 letters and numbers, like AB1C2" };
  return { ok: true, code };
}

// ---------------------------------------------------------------------------------------
// Cases (UAP-5.2, UAP-5.3, UAP-A.7)

/**
 * The organisation's status once a case is opened. A sudden closure closes it; a sudden
 * administration or loss of ownership leaves it closing (access is then granted case by case,
 * UAP-5.3). A planned closure or administration is closing until its date; a planned change of
 * ownership leaves the organisation active, as its new owner carries on.
 */
export function statusWhenCaseOpens(kind: CaseKind, mode: CaseMode, current: OrganisationStatus): OrganisationStatus {
  if (current === "closed") return "closed";
  if (mode === "sudden") return kind === "closure" ? "closed" : "closing";
  if (kind === "change_of_ownership") return current;
  return "closing";
}

/** The organisation's status once a planned case's suspensions have run on the effective date. */
export function statusWhenSuspensionsRun(kind: CaseKind, current: OrganisationStatus): OrganisationStatus {
  if (kind === "closure") return "closed";
  if (kind === "administration") return current === "closed" ? "closed" : "closing";
  return current;
}

/** Organisations a case may be opened for: not while still onboarding (nothing to close) nor once closed. */
export function canOpenCase(status: OrganisationStatus): { ok: true } | { ok: false; reason: string } {
  if (status === "onboarding") return { ok: false, reason: "The organisation is still being onboarded and has no access to close" };
  if (status === "closed") return { ok: false, reason: "The organisation is already closed" };
  return { ok: true };
}

export interface CaseClosingState {
  status: "open" | "closed";
  confirmedByName: string | null;
  confirmedByRole: string | null;
  confirmedOn: string | null;
  carePackagesCheckedAt: Date | null;
  /** Scheduled actions not yet run. */
  scheduledActions: number;
}

/**
 * UAP-A.7: a case closes only with the written confirmation of someone with authority recorded,
 * the care-packages check ticked, and nothing still scheduled. The reasons name each gap.
 */
export function caseClosingGaps(state: CaseClosingState): string[] {
  if (state.status === "closed") return ["The case is already closed"];
  const gaps: string[] = [];
  if (!state.confirmedByName || !state.confirmedByRole || !state.confirmedOn) {
    gaps.push("Record the written confirmation from the registered manager or appointed administrator");
  }
  if (!state.carePackagesCheckedAt) gaps.push("Confirm that providers who took over care packages can see what they need");
  if (state.scheduledActions > 0) {
    gaps.push(`${state.scheduledActions === 1 ? "1 scheduled change has" : `${state.scheduledActions} scheduled changes have`} not run yet`);
  }
  return gaps;
}

/** Case references as people quote them: CASE-000012. */
export function formatCaseReference(n: number): string {
  return `CASE-${String(n).padStart(6, "0")}`;
}

// ---------------------------------------------------------------------------------------
// Licences (CC-2a)

export interface LicenceAlertInput {
  allocation: number;
  /** Licences held and requested. */
  used: number;
  thresholdPercent: number;
  /** The threshold already alerted this year (licence_allocations.alerted_at_percent), or null. */
  alertedPercent: number | null;
}

export type LicenceAlertDecision =
  /** Use has crossed the threshold and nobody has been told: email, then remember it. */
  | { action: "alert"; percent: number; markPercent: number }
  /** Use is back under the threshold (suspensions, a raised allocation): forget the alert, so the next crossing alerts again. */
  | { action: "rearm"; percent: number }
  | { action: "none"; percent: number };

/**
 * CC-2a, once per crossing: the alert goes when use reaches the threshold and has not been
 * alerted since it last went under. A job can call this for every organisation and act on
 * the answer; so do the staff changes to an allocation. Pure.
 */
export function licenceAlertDecision(input: LicenceAlertInput): LicenceAlertDecision {
  const percent = input.allocation > 0 ? Math.floor((input.used / input.allocation) * 100) : input.used > 0 ? 100 : 0;
  const over = input.allocation > 0 ? input.used * 100 >= input.thresholdPercent * input.allocation : input.used > 0;
  const alerted = input.alertedPercent !== null && input.alertedPercent >= input.thresholdPercent;
  if (over && !alerted) return { action: "alert", percent, markPercent: input.thresholdPercent };
  if (!over && input.alertedPercent !== null) return { action: "rearm", percent };
  return { action: "none", percent };
}

/**
 * Who hears of a crossing: the organisation's Lead correspondent(s) and the operator's staff
 * mailbox, each once, in that order.
 */
export function licenceAlertRecipients(leadEmails: string[], staffMailbox: string): string[] {
  return [...new Set([...leadEmails.map((e) => e.trim().toLowerCase()), staffMailbox.trim().toLowerCase()].filter(Boolean))];
}

// ---------------------------------------------------------------------------------------
// The Lead correspondent's guidance (UAP-A.1)

/** How long after activation a new Lead correspondent is pointed at the guidance. */
export const GUIDANCE_BANNER_DAYS = 7;

/**
 * UAP-A.1: a Lead correspondent whose account was activated in the last 7 days, and who has not
 * yet opened the guidance, sees a banner pointing to it. Once they have read it, it goes.
 */
export function guidanceBannerDue(input: { isLead: boolean; activatedAt: Date | null; now: Date; guidanceViewed: boolean }): boolean {
  if (!input.isLead || !input.activatedAt || input.guidanceViewed) return false;
  const age = input.now.getTime() - input.activatedAt.getTime();
  return age >= 0 && age <= GUIDANCE_BANNER_DAYS * 86_400_000;
}
