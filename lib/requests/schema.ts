import { z } from "zod";
import type { Channel } from "../audit/events";
import type { PortalConfig } from "../config/schema";
import { requestPriorities, requestTypes } from "../db/schema/requests";
import { AppError } from "../errors";
import { checkEmail } from "../policy/email-policy";
import { roleNeedsRegistration, suggestRole } from "../policy/job-title-roles";
import { fieldErrorsOf } from "../validation";
import { confirmationMethods, refusedPurposeTerm, type ConfirmationMethod, type RequestType } from "./rules";

/**
 * The request inputs, one zod schema per type, and the inputs of staff actions. Every surface
 * (web form, email listener, Slack, CLI) parses with these, and the use cases parse again, so a
 * rule holds whichever way a request arrives. Field errors are keyed by the form field's name
 * and worded for the GOV.UK error summary.
 *
 * The schemas need the deployment's configuration (email policy, role catalogue, refused
 * purpose terms) and today's date in the service's time zone, so they are built per call.
 */
export interface RequestSchemaContext {
  config: PortalConfig;
  /** Today (YYYY-MM-DD) in the service's time zone: end dates must be after it, training dates not. */
  today: string;
}

export const suspensionReasons = ["leaver", "no_longer_needed", "moved_organisation", "other"] as const;
export type SuspensionReason = (typeof suspensionReasons)[number];
export const suspensionReasonLabels: Record<SuspensionReason, string> = {
  leaver: "Leaving the organisation",
  no_longer_needed: "No longer needs access",
  moved_organisation: "Moved to another organisation",
  other: "Another reason",
};

const MAX_NAME = 200;
const MAX_TEXT = 2000;

/** Form values arrive as strings or are missing; a missing text is an empty one, so its own message shows. */
const blankToEmpty = (value: unknown) => (value === undefined || value === null ? "" : value);

/** PostgreSQL text cannot hold NUL: refused here with a message rather than by the database with an error. */
const withoutNul = (value: string) => !value.includes("\u0000");

function requiredText(message: string, max = MAX_NAME, label = "This") {
  return z.preprocess(
    blankToEmpty,
    z.string({ error: message }).trim().min(1, message).max(max, `${label} must be ${max} characters or fewer`).refine(withoutNul, `${label} must not contain a NUL character`),
  );
}

function optionalText(max = MAX_NAME, label = "This") {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : (value ?? undefined)),
    z.string().trim().max(max, `${label} must be ${max} characters or fewer`).refine(withoutNul, `${label} must not contain a NUL character`).optional(),
  );
}

/** A checkbox: true, or the strings a form or a command line sends for it. */
const checkbox = z.preprocess((value) => value === true || (typeof value === "string" && ["true", "yes", "on", "1"].includes(value.trim().toLowerCase())), z.boolean());

/** One value or several (a form sends a single checkbox as a string). */
const roleKeyList = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().trim()).max(20, "Select no more than 20 security roles"),
);

const uuidField = (message: string) => z.preprocess(blankToEmpty, z.string({ error: message }).trim().min(1, message).pipe(z.uuid(message)));

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
function isRealDate(value: string): boolean {
  if (!isoDatePattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
const optionalDate = (label: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : (value ?? undefined)),
    z
      .string()
      .trim()
      .refine(isRealDate, `${label} must be a real date, written like 2026-12-31`)
      .optional(),
  );

const organisationIdField = z.preprocess(
  (value) => (value === "" || value === null ? undefined : value),
  z.uuid("Select the organisation the request is for").optional(),
);

// ---------------------------------------------------------------------------------------------
// Shared checks

type IssueSink = { addIssue(issue: { code: "custom"; path: (string | number)[]; message: string }): void };

/** UAP-2.2, UCP-EMAIL-1: the email policy's verdict, its reason as the field error; attestation recorded. */
function checkNamedEmail(email: string, attested: boolean, ctx: IssueSink, context: RequestSchemaContext, fields = { email: "email", attested: "emailAttested" }) {
  if (email === "") return null;
  const check = checkEmail(email, context.config.email);
  if (check.verdict === "invalid" || check.verdict === "refused") {
    ctx.addIssue({ code: "custom", path: [fields.email], message: check.reason });
    return null;
  }
  if (check.verdict === "attestation_required" && !attested) {
    ctx.addIssue({
      code: "custom",
      path: [fields.attested],
      message: `Confirm that ${check.normalised} is used only by this person and is suitable for receiving information about the direct care of the people you support`,
    });
    return null;
  }
  return check;
}

/** The provider roles a request may ask for: known, provider-side, and never the Lead role (that is a Lead change, UAP-A.3). */
function checkRoleKeys(roleKeys: string[], ctx: IssueSink, context: RequestSchemaContext, field = "roleKeys", what = "the person") {
  const { config } = context;
  const unique = [...new Set(roleKeys.filter(Boolean))];
  if (unique.length === 0) {
    ctx.addIssue({ code: "custom", path: [field], message: `Select the security role ${what} needs` });
    return unique;
  }
  for (const key of unique) {
    const role = config.securityRoles.find((r) => r.key === key);
    if (!role || role.audience !== "provider") {
      ctx.addIssue({ code: "custom", path: [field], message: `Select a security role from the list ("${key}" is not a provider security role)` });
    } else if (key === config.leadRoleKey) {
      ctx.addIssue({ code: "custom", path: [field], message: `To make someone the ${role.name}, request a change of ${role.name} instead` });
    }
  }
  return unique;
}

/** UCP-RBAC-3: a clinical role needs the professional body and registration number. */
function checkRegistration(roleKeys: string[], body: string | undefined, number: string | undefined, ctx: IssueSink, context: RequestSchemaContext) {
  const clinical = roleKeys.filter((key) => roleNeedsRegistration(key, context.config));
  if (clinical.length === 0) return;
  const names = clinical.map((key) => context.config.securityRoles.find((r) => r.key === key)?.name ?? key).join(", ");
  if (!body) ctx.addIssue({ code: "custom", path: ["registrationBody"], message: `Enter the professional body the person is registered with (the ${names} role is clinical)` });
  if (!number) ctx.addIssue({ code: "custom", path: ["registrationNumber"], message: `Enter the person's professional registration number (the ${names} role is clinical)` });
}

function checkFutureDate(value: string | undefined, field: string, label: string, ctx: IssueSink, context: RequestSchemaContext) {
  if (value && isRealDate(value) && value <= context.today) ctx.addIssue({ code: "custom", path: [field], message: `${label} must be in the future` });
}

// ---------------------------------------------------------------------------------------------
// Request types

export function newUserSchema(context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("new_user"),
      organisationId: organisationIdField,
      fullName: requiredText("Enter the person's full name", MAX_NAME, "Full name"),
      email: requiredText("Enter the person's work email address", 254, "Email address"),
      emailAttested: checkbox,
      jobTitle: requiredText("Enter the person's job title", MAX_NAME, "Job title"),
      roleKeys: roleKeyList,
      registrationBody: optionalText(MAX_NAME, "Professional body"),
      registrationNumber: optionalText(60, "Registration number"),
      purpose: requiredText("Enter why the person needs access to the portal", MAX_TEXT, "Purpose"),
      temporary: checkbox,
      endDate: optionalDate("End date"),
      igTrainingDate: optionalDate("Information governance training date"),
    })
    .superRefine((input, ctx) => {
      checkNamedEmail(input.email, input.emailAttested, ctx, context);
      const checked = checkRoleKeys(rolesOrSuggestion(input.roleKeys, input.jobTitle, context), ctx, context);
      checkRegistration(checked, input.registrationBody, input.registrationNumber, ctx, context);
      checkPurpose(input.purpose, ctx, context);
      if (input.temporary && !input.endDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "Enter the date access ends for this temporary member of staff" });
      checkFutureDate(input.endDate, "endDate", "End date", ctx, context);
      if (input.igTrainingDate && isRealDate(input.igTrainingDate) && input.igTrainingDate > context.today) {
        ctx.addIssue({ code: "custom", path: ["igTrainingDate"], message: "Information governance training date must be today or in the past" });
      }
    })
    .transform((input) => {
      const check = checkEmail(input.email, context.config.email);
      const suggestedRoleKey = suggestRole(input.jobTitle, context.config);
      const roleKeys = [...new Set(rolesOrSuggestion(input.roleKeys, input.jobTitle, context))];
      return {
        type: input.type,
        organisationId: input.organisationId,
        fullName: squash(input.fullName),
        email: check.normalised ?? input.email,
        emailVerdict: check.verdict as "accepted" | "attestation_required",
        emailAttested: check.verdict === "attestation_required" && input.emailAttested,
        jobTitle: squash(input.jobTitle),
        roleKeys,
        suggestedRoleKey,
        registrationBody: input.registrationBody ?? null,
        registrationNumber: input.registrationNumber ?? null,
        purpose: input.purpose,
        temporary: input.temporary,
        endDate: input.endDate ?? null,
        igTrainingDate: input.igTrainingDate ?? null,
      };
    });
}

/**
 * UCP-RBAC-2: with no role chosen, the role the job title suggests is the one requested —
 * unless it is the Lead role, which only a change of Lead correspondent gives (UAP-A.3).
 */
function rolesOrSuggestion(roleKeys: string[], jobTitle: string, context: RequestSchemaContext): string[] {
  const chosen = roleKeys.filter(Boolean);
  if (chosen.length > 0) return chosen;
  const suggested = jobTitle ? suggestRole(jobTitle, context.config) : null;
  return suggested && suggested !== context.config.leadRoleKey ? [suggested] : [];
}

/** CC-2b: a purpose is stated, and is direct care; research and other secondary uses are refused. */
function checkPurpose(purpose: string, ctx: IssueSink, context: RequestSchemaContext) {
  if (!purpose) return;
  const term = refusedPurposeTerm(purpose, context.config.requests.refusedPurposeTerms);
  if (term) {
    ctx.addIssue({
      code: "custom",
      path: ["purpose"],
      message: `Access is for the direct care of the people you support only. A purpose that mentions "${term}" is a secondary use and cannot be accepted`,
    });
  }
}

const subjectAccountIdField = uuidField("Select the user this request is about");

export function roleChangeSchema(context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("role_change"),
      organisationId: organisationIdField,
      subjectAccountId: subjectAccountIdField,
      roleKeys: roleKeyList,
      registrationBody: optionalText(MAX_NAME, "Professional body"),
      registrationNumber: optionalText(60, "Registration number"),
      reason: optionalText(MAX_TEXT, "Reason"),
    })
    .superRefine((input, ctx) => {
      const checked = checkRoleKeys(input.roleKeys, ctx, context, "roleKeys", "the user");
      checkRegistration(checked, input.registrationBody, input.registrationNumber, ctx, context);
    })
    .transform((input) => ({
      type: input.type,
      organisationId: input.organisationId,
      subjectAccountId: input.subjectAccountId,
      roleKeys: [...new Set(input.roleKeys)],
      registrationBody: input.registrationBody ?? null,
      registrationNumber: input.registrationNumber ?? null,
      reason: input.reason ?? null,
    }));
}

export function suspensionSchema(_context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("suspension"),
      organisationId: organisationIdField,
      subjectAccountId: subjectAccountIdField,
      reason: z.preprocess(blankToEmpty, z.enum(suspensionReasons, { error: "Select why the account should be suspended" })),
      reasonDetail: optionalText(MAX_TEXT, "Reason"),
    })
    .superRefine((input, ctx) => {
      if (input.reason === "other" && !input.reasonDetail) ctx.addIssue({ code: "custom", path: ["reasonDetail"], message: "Enter why the account should be suspended" });
    })
    .transform((input) => ({
      type: input.type,
      organisationId: input.organisationId,
      subjectAccountId: input.subjectAccountId,
      reason: input.reason,
      reasonDetail: input.reasonDetail ?? null,
    }));
}

export function reinstatementSchema(context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("reinstatement"),
      organisationId: organisationIdField,
      subjectAccountId: subjectAccountIdField,
      reason: requiredText("Enter why the account should be reinstated", MAX_TEXT, "Reason"),
      endDate: optionalDate("New end date"),
    })
    .superRefine((input, ctx) => checkFutureDate(input.endDate, "endDate", "New end date", ctx, context))
    .transform((input) => ({
      type: input.type,
      organisationId: input.organisationId,
      subjectAccountId: input.subjectAccountId,
      reason: input.reason,
      endDate: input.endDate ?? null,
    }));
}

export function endDateChangeSchema(context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("end_date_change"),
      organisationId: organisationIdField,
      subjectAccountId: subjectAccountIdField,
      endDate: z.preprocess(blankToEmpty, z.string().trim().min(1, "Enter the new end date").refine((v) => v === "" || isRealDate(v), "New end date must be a real date, written like 2026-12-31")),
      reason: optionalText(MAX_TEXT, "Reason"),
    })
    .superRefine((input, ctx) => checkFutureDate(input.endDate, "endDate", "New end date", ctx, context))
    .transform((input) => ({
      type: input.type,
      organisationId: input.organisationId,
      subjectAccountId: input.subjectAccountId,
      endDate: input.endDate,
      reason: input.reason ?? null,
    }));
}

export const outgoingLeadChoices = ["suspend", "keep"] as const;

export function leadChangeSchema(context: RequestSchemaContext) {
  return z
    .object({
      type: z.literal("lead_change"),
      organisationId: organisationIdField,
      /** "existing": a user of the organisation becomes the Lead; "new": a person without an account. */
      newLead: z.preprocess(blankToEmpty, z.enum(["existing", "new"], { error: "Select whether the new Lead correspondent already has an account" })),
      newLeadAccountId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.uuid("Select the user who will be the new Lead correspondent").optional()),
      fullName: optionalText(MAX_NAME, "Full name"),
      email: optionalText(254, "Email address"),
      emailAttested: checkbox,
      jobTitle: optionalText(MAX_NAME, "Job title"),
      outgoingLead: z.preprocess(blankToEmpty, z.enum(outgoingLeadChoices, { error: "Select what should happen to the outgoing Lead correspondent's account" })),
      outgoingRoleKeys: roleKeyList,
      reason: optionalText(MAX_TEXT, "Reason"),
    })
    .superRefine((input, ctx) => {
      if (input.newLead === "existing" && !input.newLeadAccountId) {
        ctx.addIssue({ code: "custom", path: ["newLeadAccountId"], message: "Select the user who will be the new Lead correspondent" });
      }
      if (input.newLead === "new") {
        if (!input.fullName) ctx.addIssue({ code: "custom", path: ["fullName"], message: "Enter the new Lead correspondent's full name" });
        if (!input.email) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter the new Lead correspondent's work email address" });
        else checkNamedEmail(input.email, input.emailAttested, ctx, context);
        if (!input.jobTitle) ctx.addIssue({ code: "custom", path: ["jobTitle"], message: "Enter the new Lead correspondent's job title" });
      }
      if (input.outgoingLead === "keep") checkRoleKeys(input.outgoingRoleKeys, ctx, context, "outgoingRoleKeys", "the outgoing Lead correspondent");
    })
    .transform((input) => {
      const newLead: LeadChangeNewLead =
        input.newLead === "existing"
          ? { kind: "existing", accountId: input.newLeadAccountId! }
          : (() => {
              const check = checkEmail(input.email ?? "", context.config.email);
              return {
                kind: "new" as const,
                fullName: squash(input.fullName ?? ""),
                email: check.normalised ?? input.email ?? "",
                emailVerdict: check.verdict as "accepted" | "attestation_required",
                emailAttested: check.verdict === "attestation_required" && input.emailAttested,
                jobTitle: squash(input.jobTitle ?? ""),
              };
            })();
      return {
        type: input.type,
        organisationId: input.organisationId,
        newLead,
        outgoingLead: input.outgoingLead,
        outgoingRoleKeys: input.outgoingLead === "keep" ? [...new Set(input.outgoingRoleKeys)] : [],
        reason: input.reason ?? null,
      };
    });
}

export type LeadChangeNewLead =
  | { kind: "existing"; accountId: string }
  | { kind: "new"; fullName: string; email: string; emailVerdict: "accepted" | "attestation_required"; emailAttested: boolean; jobTitle: string };

/** The schema for each request type. */
export function requestSchemas(context: RequestSchemaContext) {
  return {
    new_user: newUserSchema(context),
    role_change: roleChangeSchema(context),
    suspension: suspensionSchema(context),
    reinstatement: reinstatementSchema(context),
    end_date_change: endDateChangeSchema(context),
    lead_change: leadChangeSchema(context),
  } satisfies Record<RequestType, z.ZodType>;
}

type Schemas = ReturnType<typeof requestSchemas>;
/** What a surface sends: form-like values for one request type. */
export type RequestInput = { [T in RequestType]: z.input<Schemas[T]> }[RequestType];
/** A parsed, checked request body as stored in the request's payload. */
export type RequestDetails = { [T in RequestType]: z.output<Schemas[T]> }[RequestType];
export type DetailsOf<T extends RequestType> = z.output<Schemas[T]>;

/**
 * Parses a request of any type, or throws a validation AppError whose fieldErrors name every
 * problem at once (for the GOV.UK error summary).
 */
export function parseRequestInput(input: unknown, context: RequestSchemaContext): RequestDetails {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !(requestTypes as readonly string[]).includes(type)) {
    throw new AppError("validation", "request type missing or unknown", "There is a problem with the request", { type: "Select the type of request" });
  }
  const result = requestSchemas(context)[type as RequestType].safeParse(input);
  if (!result.success) {
    throw new AppError("validation", `${type} request input invalid`, "There is a problem with the request", fieldErrorsOf(result.error));
  }
  return result.data;
}

function squash(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

// ---------------------------------------------------------------------------------------------
// Staff action inputs

export const prioritiseInputSchema = z.object({
  priority: z.preprocess(blankToEmpty, z.enum(requestPriorities, { error: "Select a priority" })),
});

export const assignInputSchema = z.object({
  assigneeId: uuidField("Select the member of staff to assign the request to"),
});

export const noteInputSchema = z.object({
  body: requiredText("Enter the note", 5000, "Note"),
});

export const rejectInputSchema = z.object({
  reason: requiredText("Enter why the request is rejected: the requester is told", MAX_TEXT, "Reason"),
});

/** UAP-A.3: who confirmed the change, by which method, and when. */
export function leadConfirmationInputSchema(now: Date) {
  return z
    .object({
      method: z.preprocess(blankToEmpty, z.enum(confirmationMethods, { error: "Select how the change was confirmed" })),
      confirmedWith: requiredText("Enter the name of the person who confirmed the change", MAX_NAME, "Name"),
      /** When the call was made or the email received; defaults to now. */
      confirmedAt: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.date({ error: "Enter when the change was confirmed" }).optional()),
      note: optionalText(MAX_TEXT, "Note"),
    })
    .superRefine((input, ctx) => {
      if (input.confirmedAt && input.confirmedAt.getTime() > now.getTime() + 60_000) {
        ctx.addIssue({ code: "custom", path: ["confirmedAt"], message: "The time of the confirmation must be in the past" });
      }
    });
}

export const tickRelatedSystemInputSchema = z.object({
  systemKey: requiredText("Select the related system that has been updated"),
  note: optionalText(MAX_TEXT, "Note"),
});

// ---------------------------------------------------------------------------------------------
// The stored payload

/** A recorded confirmation of a Lead correspondent change (UAP-A.3). */
export interface LeadConfirmation {
  method: ConfirmationMethod;
  confirmedWith: string;
  confirmedAt: string;
  note: string | null;
  recordedById: string | null;
  recordedByLabel: string;
  recordedAt: string;
  channel: Channel;
}

/** A related system ticked off (UAP-A.2b). */
export interface RelatedSystemTick {
  doneAt: string;
  byId: string | null;
  byLabel: string;
  note: string | null;
}

/** What an emailed request's sender looked like (UAP-A.8), for staff to judge. */
export interface SenderEvidence {
  email: string;
  displayName: string | null;
  /** Whether the message passed sender authentication (SPF/DKIM/DMARC), as the listener saw it. */
  authenticated: boolean;
  /** Filled in by submitRequest: does the sender match the account the request speaks for? */
  emailMatchesAccount?: boolean;
  nameMatchesAccount?: boolean;
  /** The operator mail server's Authentication-Results as the listener read them, for staff to judge. */
  authentication?: SenderAuthenticationEvidence;
  /** The message it came in (Message-ID), so staff can find the original. */
  messageId?: string | null;
  /** UAP-A.8: a member of staff checked the evidence and confirmed the sender (lib/requests/confirm-sender.ts). */
  confirmation?: SenderConfirmation;
}

/** One method's result (SPF, DKIM or DMARC): what it said, for which domain, aligned with From or not. */
export interface SenderMethodEvidence {
  result: string;
  domain: string | null;
  aligned: boolean;
}

export interface SenderAuthenticationEvidence {
  verified: boolean;
  /** Whose Authentication-Results header was believed (null when none could be). */
  authservId: string | null;
  spf: SenderMethodEvidence | null;
  dkim: SenderMethodEvidence | null;
  dmarc: SenderMethodEvidence | null;
  reason: string;
}

export interface SenderConfirmation {
  confirmedById: string | null;
  confirmedByLabel: string;
  confirmedAt: string;
  /** How it was confirmed (a call to the number on file, …): required, it is the record. */
  note: string;
  channel: Channel;
}

/** requests.payload: the requester's details plus what staff record as they work. */
export interface RequestPayload {
  details: RequestDetails;
  requester: { accountId: string | null; fullName: string; email: string; as: "authoriser" | "account_holder" | "incoming_lead" };
  /** UCP-EMAIL-1: the requester attested a non-accepted domain's suitability. */
  emailAttestation?: { email: string; attestedById: string | null; attestedByLabel: string; attestedAt: string };
  sender?: SenderEvidence;
  leadConfirmations?: Partial<Record<ConfirmationMethod, LeadConfirmation>>;
  relatedSystems?: Record<string, RelatedSystemTick>;
  /** What approving the request did (accounts created, roles before/after …). */
  outcome?: Record<string, unknown>;
}

/** The payload as stored (written only by this module). */
export function readPayload(raw: Record<string, unknown>): RequestPayload {
  return raw as unknown as RequestPayload;
}
