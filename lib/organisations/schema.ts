import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import type { PortalConfig } from "../config/schema";
import { caseAuthorityRoles, organisationCaseKinds, organisationCaseModes } from "../db/schema/organisation-cases";
import { organisationTypes } from "../db/schema/organisations";
import { AppError } from "../errors";
import { checkEmail, type EmailCheck } from "../policy/email-policy";
import { fieldErrorsOf } from "../validation";
import { addMonths, dsptStatuses, isRealDate, type Eligibility } from "./eligibility";
import { parseOdsCode } from "./rules";

/**
 * The organisation inputs: one zod schema per form or command, keyed by the form field's name
 * and worded for the GOV.UK error summary. Every surface parses with these and the use cases
 * parse again, so a rule holds whichever way the input arrives.
 */

const MAX_NAME = 200;
const MAX_TEXT = 2000;

const blankToEmpty = (value: unknown) => (value === undefined || value === null ? "" : value);
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : (value ?? undefined));

function requiredText(message: string, max = MAX_NAME, label = "This") {
  return z.preprocess(blankToEmpty, z.string({ error: message }).trim().min(1, message).max(max, `${label} must be ${max} characters or fewer`));
}

function optionalText(max = MAX_NAME, label = "This") {
  return z.preprocess(blankToUndefined, z.string().trim().max(max, `${label} must be ${max} characters or fewer`).optional());
}

/** A checkbox: true, or the strings a form or a command line sends for it. */
const checkbox = z.preprocess((value) => value === true || (typeof value === "string" && ["true", "yes", "on", "1"].includes(value.trim().toLowerCase())), z.boolean());

/** A yes/no radio: true, false, or not answered yet. */
const yesNo = z.preprocess(
  (value) => (value === true || value === "yes" ? true : value === false || value === "no" ? false : undefined),
  z.boolean().optional(),
);

const optionalDate = (label: string) =>
  z.preprocess(blankToUndefined, z.string().trim().refine(isRealDate, `${label} must be a real date`).optional());

const requiredDate = (missing: string, label: string) =>
  z.preprocess(blankToEmpty, z.string().trim().min(1, missing).refine(isRealDate, `${label} must be a real date`));

/** Parses with a schema, or throws a validation AppError naming each field's first problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "There is a problem"): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("validation", `${what}: input invalid`, what, fieldErrorsOf(result.error));
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// A new organisation (UAP-A.1)

export const createOrganisationInputSchema = z.object({
  odsCode: z.preprocess(blankToEmpty, z.string()).transform((value, ctx) => {
    const check = parseOdsCode(value);
    if (!check.ok) {
      ctx.addIssue({ code: "custom", message: check.reason });
      return z.NEVER;
    }
    return check.code;
  }),
  name: requiredText("Enter the organisation's name", MAX_NAME, "Name"),
  type: z.preprocess(blankToEmpty, z.enum(organisationTypes, { error: "Select the type of organisation" })),
  address: requiredText("Enter the organisation's address", 500, "Address"),
});
export type CreateOrganisationInput = z.infer<typeof createOrganisationInputSchema>;

// ---------------------------------------------------------------------------------------------
// The eligibility checklist (UCP-ORG-1..3)

/**
 * The checklist form. Answers may be saved part-way (staff work through it over several
 * visits); what is given must be well-formed, an approval started must be finished, and no
 * approval is dated in the future.
 */
export function eligibilityInputSchema(today: string) {
  return z
    .object({
      odsVerified: checkbox,
      dpiaListed: yesNo,
      icsApprovedBy: optionalText(MAX_NAME, "Name"),
      icsApprovedOn: optionalDate("The date of the ICS lead's approval"),
      icsEvidence: optionalText(MAX_TEXT, "Evidence"),
      dsptStatus: z.preprocess(blankToUndefined, z.enum(dsptStatuses, { error: "Select a DSPT status from the list" }).optional()),
      dsptDate: optionalDate("The DSPT status date"),
      inRegion: yesNo,
      regionalRoute: z.preprocess(blankToUndefined, z.enum(["regional_lead", "own_dpia"], { error: "Select how the organisation may join from outside the region" }).optional()),
      regionalApprovedBy: optionalText(MAX_NAME, "Name"),
      regionalApprovedOn: optionalDate("The date of the regional lead's approval"),
      regionalEvidence: optionalText(MAX_TEXT, "Evidence"),
      ownDpiaReference: optionalText(MAX_NAME, "Reference"),
      ownDpiaCompletedOn: optionalDate("The date of the organisation's DPIA"),
    })
    .superRefine((v, ctx) => {
      const notFuture = (value: string | undefined, field: string, label: string) => {
        if (value && isRealDate(value) && value > today) ctx.addIssue({ code: "custom", path: [field], message: `${label} must be today or in the past` });
      };
      const allOrNone = (fields: [string, string | undefined, string][]) => {
        if (!fields.some(([, value]) => value)) return;
        for (const [field, value, message] of fields) if (!value) ctx.addIssue({ code: "custom", path: [field], message });
      };
      if (v.dpiaListed === false) {
        allOrNone([
          ["icsApprovedBy", v.icsApprovedBy, "Enter the name of the ICS lead who approved"],
          ["icsApprovedOn", v.icsApprovedOn, "Enter the date of the ICS lead's approval"],
          ["icsEvidence", v.icsEvidence, "Describe the evidence of the ICS lead's approval"],
        ]);
        notFuture(v.icsApprovedOn, "icsApprovedOn", "The date of the ICS lead's approval");
      }
      if (v.dsptDate && isRealDate(v.dsptDate) && v.dsptDate > addMonths(today, 12)) {
        ctx.addIssue({ code: "custom", path: ["dsptDate"], message: "The DSPT status date is more than a year away: check it" });
      }
      if (v.inRegion === false && v.regionalRoute === "regional_lead") {
        allOrNone([
          ["regionalApprovedBy", v.regionalApprovedBy, "Enter the name of the regional lead who approved"],
          ["regionalApprovedOn", v.regionalApprovedOn, "Enter the date of the regional lead's approval"],
          ["regionalEvidence", v.regionalEvidence, "Describe the evidence of the regional lead's approval"],
        ]);
        notFuture(v.regionalApprovedOn, "regionalApprovedOn", "The date of the regional lead's approval");
      }
      if (v.inRegion === false && v.regionalRoute === "own_dpia") {
        allOrNone([
          ["ownDpiaReference", v.ownDpiaReference, "Enter the reference of the organisation's own DPIA"],
          ["ownDpiaCompletedOn", v.ownDpiaCompletedOn, "Enter the date the organisation's DPIA was completed"],
        ]);
        notFuture(v.ownDpiaCompletedOn, "ownDpiaCompletedOn", "The date of the organisation's DPIA");
      }
    })
    .transform((v): Eligibility => {
      const e: Eligibility = { odsVerified: v.odsVerified };
      if (v.dpiaListed !== undefined) e.dpiaListed = v.dpiaListed;
      if (v.dpiaListed === false && v.icsApprovedBy && v.icsApprovedOn && v.icsEvidence) {
        e.icsApproval = { approvedBy: v.icsApprovedBy, approvedOn: v.icsApprovedOn, evidence: v.icsEvidence };
      }
      if (v.dsptStatus) e.dsptStatus = v.dsptStatus;
      if (v.dsptDate) e.dsptDate = v.dsptDate;
      if (v.inRegion !== undefined) e.inRegion = v.inRegion;
      if (v.inRegion === false && v.regionalRoute === "regional_lead" && v.regionalApprovedBy && v.regionalApprovedOn && v.regionalEvidence) {
        e.regionalApproval = { approvedBy: v.regionalApprovedBy, approvedOn: v.regionalApprovedOn, evidence: v.regionalEvidence };
      }
      if (v.inRegion === false && v.regionalRoute === "own_dpia" && v.ownDpiaReference && v.ownDpiaCompletedOn) {
        e.ownDpia = { reference: v.ownDpiaReference, completedOn: v.ownDpiaCompletedOn };
      }
      return e;
    });
}

// ---------------------------------------------------------------------------------------------
// People: the Lead correspondent (UAP-A.2) and a new owner's accounts (UAP-5.2)

type IssueSink = { addIssue(issue: { code: "custom"; path: (string | number)[]; message: string }): void };

/** UAP-2.2, UCP-EMAIL-1: the email policy's verdict, its reason as the field error; staff attest where the policy asks. */
function checkNamedEmail(email: string, attested: boolean, ctx: IssueSink, config: PortalConfig, path: (string | number)[], attestedPath: (string | number)[]): EmailCheck | null {
  if (email === "") return null;
  const check = checkEmail(email, config.email);
  if (check.verdict === "invalid" || check.verdict === "refused") {
    ctx.addIssue({ code: "custom", path, message: check.reason });
    return null;
  }
  if (check.verdict === "attestation_required" && !attested) {
    ctx.addIssue({
      code: "custom",
      path: attestedPath,
      message: `Confirm that ${check.normalised} is used only by this person and is suitable for information about the direct care of the people the organisation supports`,
    });
    return null;
  }
  return check;
}

export function inviteLeadInputSchema(config: PortalConfig) {
  return z
    .object({
      fullName: requiredText("Enter the Lead correspondent's full name", MAX_NAME, "Full name"),
      email: requiredText("Enter the Lead correspondent's work email address", 254, "Email address").transform((e) => e.toLowerCase()),
      jobTitle: requiredText("Enter the Lead correspondent's job title", MAX_NAME, "Job title"),
      emailAttested: checkbox,
    })
    .transform((v, ctx) => {
      const check = checkNamedEmail(v.email, v.emailAttested, ctx, config, ["email"], ["emailAttested"]);
      if (!check) return z.NEVER;
      return { ...v, email: check.normalised!, emailVerdict: check.verdict };
    });
}
export type InviteLeadInput = z.infer<ReturnType<typeof inviteLeadInputSchema>>;

// ---------------------------------------------------------------------------------------------
// Licences (CC-2a)

export function licenceAllocationInputSchema(currentYear: number) {
  return z.object({
    year: z.preprocess(
      (value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value === undefined || value === "" ? currentYear : value),
      z
        .number({ error: "Enter the year as a number, like 2026" })
        .int("Enter the year as a number, like 2026")
        .min(currentYear, `The year must be ${currentYear} or ${currentYear + 1}`)
        .max(currentYear + 1, `The year must be ${currentYear} or ${currentYear + 1}`),
    ),
    allocation: z.preprocess(
      (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : Number(value.trim())) : value),
      z
        .number({ error: "Enter the number of licences" })
        .int("Enter a whole number of licences")
        .min(0, "The number of licences cannot be negative")
        .max(100_000, "The number of licences must be 100,000 or fewer"),
    ),
    reason: optionalText(MAX_TEXT, "Reason"),
  });
}
export type LicenceAllocationInput = z.infer<ReturnType<typeof licenceAllocationInputSchema>>;

// ---------------------------------------------------------------------------------------------
// Cases (UAP-5.2, UAP-5.3, UAP-A.7)

export const notificationMethods = ["email", "telephone", "letter", "portal", "in_person"] as const;
export const notificationMethodLabels: Record<(typeof notificationMethods)[number], string> = {
  email: "Email",
  telephone: "Telephone",
  letter: "Letter",
  portal: "Through the portal",
  in_person: "In person",
};

/** How many new-owner account rows the case form offers. */
export const NEW_ACCOUNT_ROWS = 5;

const newAccountRowSchema = z.object({
  fullName: optionalText(MAX_NAME, "Full name"),
  email: optionalText(254, "Email address"),
  jobTitle: optionalText(MAX_NAME, "Job title"),
  roleKey: optionalText(60, "Security role"),
  emailAttested: checkbox,
});

export interface CaseSchemaContext {
  config: PortalConfig;
  /** Today (YYYY-MM-DD) in the service's time zone. */
  today: string;
}

export interface ScheduledAccount {
  fullName: string;
  email: string;
  jobTitle: string | null;
  roleKey: string;
}

export function openCaseInputSchema(context: CaseSchemaContext) {
  const { config, today } = context;
  const timeZone = config.requests.serviceHours.timeZone;
  return z
    .object({
      kind: z.preprocess(blankToEmpty, z.enum(organisationCaseKinds, { error: "Select what is happening to the organisation" })),
      mode: z.preprocess(blankToEmpty, z.enum(organisationCaseModes, { error: "Select whether it is sudden or planned" })),
      summary: requiredText("Describe what is happening", MAX_TEXT, "Description"),
      notifiedBy: requiredText("Enter who told us (name and role)", MAX_NAME, "Who told us"),
      notifiedVia: z.preprocess(blankToEmpty, z.enum(notificationMethods, { error: "Select how we were told" })),
      notifiedOn: requiredDate("Enter the date we were told", "The date we were told").refine((v) => v <= today, "The date we were told must be today or in the past"),
      notifiedTime: z.preprocess(blankToUndefined, z.string().trim().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, "Enter the time like 14:30").optional()),
      effectiveDate: optionalDate("The date the change takes effect"),
      suspendExisting: checkbox,
      newAccounts: z.array(newAccountRowSchema).max(50, "Schedule no more than 50 new accounts on one case").default([]),
    })
    .superRefine((v, ctx) => {
      if (v.mode !== "planned") return;
      if (!v.effectiveDate) ctx.addIssue({ code: "custom", path: ["effectiveDate"], message: "Enter the date the change takes effect" });
      else if (isRealDate(v.effectiveDate) && v.effectiveDate <= today) {
        ctx.addIssue({ code: "custom", path: ["effectiveDate"], message: "The date the change takes effect must be in the future. For a change happening now, choose sudden" });
      }
      const seen = new Set<string>();
      let rows = 0;
      v.newAccounts.forEach((row, i) => {
        if (!row.fullName && !row.email && !row.jobTitle && !row.roleKey) return;
        rows += 1;
        const at = (field: string) => [`newAccounts.${i}.${field}`];
        if (!row.fullName) ctx.addIssue({ code: "custom", path: at("fullName"), message: `Enter the full name of new account ${i + 1}` });
        if (!row.email) ctx.addIssue({ code: "custom", path: at("email"), message: `Enter the work email address of new account ${i + 1}` });
        const role = config.securityRoles.find((r) => r.key === row.roleKey && r.audience === "provider");
        if (!role) ctx.addIssue({ code: "custom", path: at("roleKey"), message: `Select the security role of new account ${i + 1}` });
        if (row.email) {
          const email = row.email.toLowerCase();
          if (seen.has(email)) ctx.addIssue({ code: "custom", path: at("email"), message: `${email} is in the list twice` });
          seen.add(email);
          checkNamedEmail(email, row.emailAttested, ctx, config, at("email"), at("emailAttested"));
        }
      });
      if (!v.suspendExisting && rows === 0) {
        ctx.addIssue({ code: "custom", path: ["suspendExisting"], message: "Choose at least one change to schedule: suspend the existing accounts, or create accounts" });
      }
    })
    .transform((v) => {
      const [y, m, d] = v.notifiedOn.split("-").map(Number) as [number, number, number];
      const [hh, mm] = (v.notifiedTime ?? "00:00").split(":").map(Number) as [number, number];
      const notifiedAt = new Date(new TZDate(y, m - 1, d, hh, mm, 0, timeZone).getTime());
      const newAccounts: ScheduledAccount[] =
        v.mode === "planned"
          ? v.newAccounts
              .filter((r) => r.fullName || r.email || r.jobTitle || r.roleKey)
              .map((r) => ({ fullName: r.fullName!, email: checkEmail(r.email!, config.email).normalised ?? r.email!.toLowerCase(), jobTitle: r.jobTitle ?? null, roleKey: r.roleKey! }))
          : [];
      return {
        kind: v.kind,
        mode: v.mode,
        summary: v.summary,
        notifiedBy: v.notifiedBy,
        notifiedVia: v.notifiedVia,
        notifiedAt,
        /** A sudden case takes effect today. */
        effectiveDate: v.mode === "planned" ? v.effectiveDate! : today,
        suspendExisting: v.mode === "sudden" ? true : v.suspendExisting,
        newAccounts,
      };
    });
}
export type OpenCaseInput = z.infer<ReturnType<typeof openCaseInputSchema>>;

export function caseConfirmationInputSchema(today: string) {
  return z
    .object({
      confirmedByName: requiredText("Enter the name of the person who confirmed in writing", MAX_NAME, "Name"),
      confirmedByRole: z.preprocess(blankToEmpty, z.enum(caseAuthorityRoles, { error: "Select the authority of the person who confirmed" })),
      confirmedOn: requiredDate("Enter the date of the written confirmation", "The date of the written confirmation").refine(
        (v) => v <= today,
        "The date of the written confirmation must be today or in the past",
      ),
      confirmationNote: requiredText("Describe the written confirmation and where it is kept", MAX_TEXT, "Note"),
    });
}
export type CaseConfirmationInput = z.infer<ReturnType<typeof caseConfirmationInputSchema>>;

export const carePackagesInputSchema = z.object({
  carePackagesConfirmed: checkbox.refine((v) => v, "Confirm that providers who took over care packages can see what they need"),
  carePackagesNote: optionalText(MAX_TEXT, "Note"),
});
export type CarePackagesInput = z.infer<typeof carePackagesInputSchema>;

/** The filter on the organisations list. */
export const organisationListFilterSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(["onboarding", "active", "closing", "closed"]).optional().catch(undefined)),
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional().catch(undefined)),
});
