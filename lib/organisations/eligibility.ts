import { z } from "zod";
import type { organisationTypes } from "../db/schema/organisations";

/**
 * The onboarding eligibility checklist (UCP-ORG-1, UCP-ORG-2, UCP-ORG-3), kept on the
 * organisation (`organisations.eligibility`), and the pure rule that decides whether it
 * passes. An organisation becomes active, and its first account is created, only when it does.
 * No database and no clock of its own: `today` is passed in.
 */

export type OrganisationType = (typeof organisationTypes)[number];

/** Statuses the Data Security and Protection Toolkit publishes. */
export const dsptStatuses = ["Standards Exceeded", "Standards Met", "Approaching Standards", "Standards Not Met", "Not published"] as const;
export type DsptStatus = (typeof dsptStatuses)[number];
/** "Standards Met" is what UCP-ORG-1 asks for; "Exceeded" is better than met. */
const meetingStatuses: readonly DsptStatus[] = ["Standards Met", "Standards Exceeded"];

/** NHS bodies are out of the DSPT rule of UCP-ORG-1; everything else (social care, charities, domiciliary care …) needs it. */
const nhsTypes: readonly OrganisationType[] = ["nhs_trust", "gp_practice", "icb"];

/** How old a DSPT status may be before it no longer counts: the toolkit is published yearly. */
export const DSPT_VALID_MONTHS = 12;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A recorded approval: who gave it, on which day, and the evidence kept (UCP-ORG-2, UCP-ORG-3). */
export const approvalSchema = z.object({
  approvedBy: z.string(),
  approvedOn: isoDate,
  evidence: z.string(),
});
export type Approval = z.infer<typeof approvalSchema>;

/** The organisation's own DPIA, for an organisation outside the region (UCP-ORG-3). */
export const ownDpiaSchema = z.object({ reference: z.string(), completedOn: isoDate });
export type OwnDpia = z.infer<typeof ownDpiaSchema>;

/**
 * The checklist as stored. Every answer is optional: staff work through it over several
 * visits, and evaluateEligibility says what is still missing.
 */
export const eligibilitySchema = z.object({
  /** The ODS code has been checked against the NHS Organisation Data Service. */
  odsVerified: z.boolean().optional(),
  dpiaListed: z.boolean().optional(),
  icsApproval: approvalSchema.nullish(),
  dsptStatus: z.enum(dsptStatuses).nullish(),
  /** The date of the DSPT status as the toolkit shows it. */
  dsptDate: isoDate.nullish(),
  inRegion: z.boolean().optional(),
  regionalApproval: approvalSchema.nullish(),
  ownDpia: ownDpiaSchema.nullish(),
});
export type Eligibility = z.infer<typeof eligibilitySchema>;

/**
 * Reads the stored jsonb leniently: a value of the wrong shape counts as not answered, never
 * as met (older rows, or data entered by hand).
 */
export function readEligibility(value: unknown): Eligibility {
  const source = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  const out: Eligibility = {};
  for (const key of Object.keys(eligibilitySchema.shape) as (keyof Eligibility)[]) {
    const field = eligibilitySchema.shape[key].safeParse(source[key]);
    if (field.success && field.data !== undefined) (out as Record<string, unknown>)[key] = field.data;
  }
  return out;
}

export type EligibilityItemKey = "ods" | "dpia" | "dspt" | "region";
export type EligibilityItemStatus = "met" | "not_met" | "not_needed";

export interface EligibilityItem {
  key: EligibilityItemKey;
  /** The clauses the item enforces, for the page and the audit detail. */
  clauses: string[];
  label: string;
  status: EligibilityItemStatus;
  /** What is met, or what is still missing, in words staff can act on. */
  detail: string;
}

export interface EligibilityResult {
  eligible: boolean;
  items: EligibilityItem[];
  /** The unmet items' details, in checklist order: the reasons activation is refused. */
  missing: string[];
}

export interface EligibilityContext {
  type: OrganisationType;
  /** Today's date (YYYY-MM-DD) in the service's time zone. */
  today: string;
  /** The programme's region, named in the wording (config operator.region). */
  region?: string;
}

/** Whether the DSPT rule applies to this type of organisation (UCP-ORG-1). */
export function dsptRequired(type: OrganisationType): boolean {
  return !nhsTypes.includes(type);
}

/** YYYY-MM-DD moved by whole months (the 31st becomes the month's last day). */
export function addMonths(isoDay: string, months: number): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD string that names a real day. */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

function approvalComplete(approval: Approval | null | undefined, today: string): approval is Approval {
  return Boolean(approval && approval.approvedBy.trim() && approval.evidence.trim() && isRealDate(approval.approvedOn) && approval.approvedOn <= today);
}

function approvalGap(approval: Approval | null | undefined, today: string, who: string): string {
  if (!approval) return `record the ${who}'s approval: who approved, when, and the evidence`;
  const gaps: string[] = [];
  if (!approval.approvedBy.trim()) gaps.push(`who approved`);
  if (!isRealDate(approval.approvedOn)) gaps.push("the date of the approval");
  else if (approval.approvedOn > today) gaps.push("a date of approval that is not in the future");
  if (!approval.evidence.trim()) gaps.push("the evidence");
  return `the ${who}'s approval needs ${gaps.join(", ")}`;
}

function formatDay(isoDay: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${isoDay}T00:00:00Z`));
}

/**
 * UCP-ORG-1..3: the checklist passes when every item is met or not needed:
 * - the ODS code is verified;
 * - the organisation is listed in the DPIA, or (UCP-ORG-2) the ICS lead's approval is recorded;
 * - for non-NHS types, DSPT "Standards Met" (or Exceeded) dated within the last 12 months;
 * - it is inside the region, or (UCP-ORG-3) the regional lead approved it or it has its own DPIA.
 */
export function evaluateEligibility(stored: unknown, context: EligibilityContext): EligibilityResult {
  const e = readEligibility(stored);
  const { today } = context;
  const region = context.region?.trim() || "the programme's region";
  const items: EligibilityItem[] = [];

  items.push(
    e.odsVerified
      ? { key: "ods", clauses: ["UCP-ORG-1"], label: "ODS code verified", status: "met", detail: "The ODS code has been checked against the Organisation Data Service." }
      : { key: "ods", clauses: ["UCP-ORG-1"], label: "ODS code verified", status: "not_met", detail: "Check the ODS code against the Organisation Data Service and confirm it" },
  );

  const dpiaLabel = "Listed in the DPIA, or approved by the ICS lead";
  if (e.dpiaListed === true) {
    items.push({ key: "dpia", clauses: ["UCP-ORG-1"], label: dpiaLabel, status: "met", detail: "Listed in the data protection impact assessment (DPIA)." });
  } else if (e.dpiaListed === false && approvalComplete(e.icsApproval, today)) {
    items.push({
      key: "dpia",
      clauses: ["UCP-ORG-1", "UCP-ORG-2"],
      label: dpiaLabel,
      status: "met",
      detail: `Not listed in the DPIA; approved by the ICS lead, ${e.icsApproval.approvedBy.trim()}, on ${formatDay(e.icsApproval.approvedOn)}.`,
    });
  } else if (e.dpiaListed === false) {
    items.push({ key: "dpia", clauses: ["UCP-ORG-2"], label: dpiaLabel, status: "not_met", detail: `Not listed in the DPIA: ${approvalGap(e.icsApproval, today, "ICS lead")}` });
  } else {
    items.push({ key: "dpia", clauses: ["UCP-ORG-1"], label: dpiaLabel, status: "not_met", detail: "Say whether the organisation is listed in the DPIA" });
  }

  const dsptLabel = "Data Security and Protection Toolkit: Standards Met";
  if (!dsptRequired(context.type)) {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "not_needed", detail: "Not needed for an NHS organisation." });
  } else if (!e.dsptStatus) {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "not_met", detail: "Record the organisation's DSPT status and its date" });
  } else if (!meetingStatuses.includes(e.dsptStatus)) {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "not_met", detail: `The DSPT status is "${e.dsptStatus}": it must be "Standards Met"` });
  } else if (!e.dsptDate || !isRealDate(e.dsptDate)) {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "not_met", detail: "Record the date of the DSPT status" });
  } else if (e.dsptDate < addMonths(today, -DSPT_VALID_MONTHS)) {
    items.push({
      key: "dspt",
      clauses: ["UCP-ORG-1"],
      label: dsptLabel,
      status: "not_met",
      detail: `The DSPT status is dated ${formatDay(e.dsptDate)}, more than ${DSPT_VALID_MONTHS} months ago: ask the organisation for its current status`,
    });
  } else if (e.dsptDate > addMonths(today, DSPT_VALID_MONTHS)) {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "not_met", detail: `The DSPT date ${formatDay(e.dsptDate)} is too far in the future: check it` });
  } else {
    items.push({ key: "dspt", clauses: ["UCP-ORG-1"], label: dsptLabel, status: "met", detail: `"${e.dsptStatus}", dated ${formatDay(e.dsptDate)}.` });
  }

  const regionLabel = `Inside ${region}, or approved to join from outside it`;
  if (e.inRegion === true) {
    items.push({ key: "region", clauses: ["UCP-ORG-3"], label: regionLabel, status: "met", detail: `Inside ${region}.` });
  } else if (e.inRegion === false && approvalComplete(e.regionalApproval, today)) {
    items.push({
      key: "region",
      clauses: ["UCP-ORG-3"],
      label: regionLabel,
      status: "met",
      detail: `Outside ${region}; approved by the regional lead, ${e.regionalApproval.approvedBy.trim()}, on ${formatDay(e.regionalApproval.approvedOn)}.`,
    });
  } else if (e.inRegion === false && e.ownDpia && e.ownDpia.reference.trim() && isRealDate(e.ownDpia.completedOn) && e.ownDpia.completedOn <= today) {
    items.push({
      key: "region",
      clauses: ["UCP-ORG-3"],
      label: regionLabel,
      status: "met",
      detail: `Outside ${region}; covered by its own DPIA (${e.ownDpia.reference.trim()}, ${formatDay(e.ownDpia.completedOn)}).`,
    });
  } else if (e.inRegion === false) {
    items.push({
      key: "region",
      clauses: ["UCP-ORG-3"],
      label: regionLabel,
      status: "not_met",
      detail: `Outside ${region}: record the regional lead's approval (who, when, evidence) or the organisation's own DPIA`,
    });
  } else {
    items.push({ key: "region", clauses: ["UCP-ORG-3"], label: regionLabel, status: "not_met", detail: `Say whether the organisation is inside ${region}` });
  }

  const missing = items.filter((i) => i.status === "not_met").map((i) => i.detail);
  return { eligible: missing.length === 0, items, missing };
}
