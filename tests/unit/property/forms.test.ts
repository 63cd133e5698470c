import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { formValues } from "@/app/_lib/form-values";
import { auditFiltersSchema, auditQuerySchema, parseAuditSearch } from "@/lib/audit/search-filters";
import { resetRequestSchema } from "@/lib/auth/recovery/request-secret-reset";
import { passwordStepSchema } from "@/lib/auth/sign-in/start-sign-in";
import { emailCodeStepSchema } from "@/lib/auth/sign-in/submit-email-code";
import { digitsStepSchema } from "@/lib/auth/sign-in/submit-security-digits";
import { retryMessageSchema } from "@/lib/mail/retry-message";
import {
  carePackagesInputSchema,
  caseConfirmationInputSchema,
  createOrganisationInputSchema,
  eligibilityInputSchema,
  inviteLeadInputSchema,
  licenceAllocationInputSchema,
  openCaseInputSchema,
  organisationListFilterSchema,
  parseInput,
} from "@/lib/organisations/schema";
import { senderConfirmationInputSchema } from "@/lib/requests/confirm-sender";
import {
  assignInputSchema,
  leadConfirmationInputSchema,
  noteInputSchema,
  parseRequestInput,
  prioritiseInputSchema,
  rejectInputSchema,
  requestSchemas,
  tickRelatedSystemInputSchema,
} from "@/lib/requests/schema";
import { reviewDecisionInputSchema, reviewIdSchema } from "@/lib/reviews/schema";
import { parseOrThrow } from "@/lib/validation";
import { requestTestConfig } from "@/tests/unit/requests/request-config";
import { INJECTIONS, expectOnlyValidationError, hostileForm, hostileString, hostileValue, runs } from "./hostile";

/**
 * Issue 11, bad input at every boundary — the forms and server actions. Each schema a server
 * action, a route handler or the Slack bot parses its input with, fed hostile values: it never
 * throws (safeParse) or throws only the typed validation AppError (the parse helpers the use
 * cases call), whose messages are for people. Valid input round-trips through the same parse.
 */

const config = requestTestConfig();
const today = "2026-05-05";
const context = { config, today };

/** Every schema at a form boundary with the fields its form posts. */
const FORM_SCHEMAS: { name: string; schema: z.ZodType; fields: string[] }[] = [
  ...Object.entries(requestSchemas(context)).map(([type, schema]) => ({
    name: `request ${type}`,
    schema: schema as z.ZodType,
    fields: ["type", "organisationId", "subjectAccountId", "fullName", "email", "emailAttested", "jobTitle", "roleKeys", "outgoingRoleKeys", "registrationBody", "registrationNumber", "purpose", "temporary", "endDate", "igTrainingDate", "reason", "reasonDetail", "outgoing", "newLeadAccountId", "newLead"],
  })),
  { name: "sign-in password step", schema: passwordStepSchema, fields: ["email", "password"] },
  { name: "sign-in digits step", schema: digitsStepSchema, fields: ["attemptId", "digits"] },
  { name: "sign-in email code step", schema: emailCodeStepSchema, fields: ["attemptId", "code"] },
  { name: "reset request", schema: resetRequestSchema, fields: ["email", "which"] },
  { name: "review decision", schema: reviewDecisionInputSchema, fields: ["decision", "roleKeys", "registrationBody", "registrationNumber", "reason", "reasonDetail"] },
  { name: "outbox retry", schema: retryMessageSchema, fields: ["messageId"] },
  { name: "new organisation", schema: createOrganisationInputSchema, fields: ["odsCode", "name", "type", "address"] },
  { name: "eligibility", schema: eligibilityInputSchema(today), fields: ["odsVerified", "dpiaListed", "icsApprovedBy", "icsApprovedOn", "dsptStatus", "dsptDate", "inRegion", "regionalRoute", "ownDpiaReference", "ownDpiaCompletedOn"] },
  { name: "invite lead", schema: inviteLeadInputSchema(config), fields: ["fullName", "email", "jobTitle", "emailAttested"] },
  { name: "licence allocation", schema: licenceAllocationInputSchema(2026), fields: ["year", "allocation", "reason"] },
  { name: "open case", schema: openCaseInputSchema(context), fields: ["kind", "mode", "effectiveOn", "notifiedBy", "notifiedOn", "note", "successorId"] },
  { name: "case confirmation", schema: caseConfirmationInputSchema(today), fields: ["confirmedByName", "confirmedByRole", "confirmedOn", "confirmationNote"] },
  { name: "care packages", schema: carePackagesInputSchema, fields: ["carePackagesConfirmed", "carePackagesNote"] },
  { name: "organisation list filter", schema: organisationListFilterSchema, fields: ["status", "q"] },
  { name: "staff: prioritise", schema: prioritiseInputSchema, fields: ["priority"] },
  { name: "staff: assign", schema: assignInputSchema, fields: ["assigneeId"] },
  { name: "staff: note", schema: noteInputSchema, fields: ["body"] },
  { name: "staff: reject", schema: rejectInputSchema, fields: ["reason"] },
  { name: "staff: lead confirmation", schema: leadConfirmationInputSchema(new Date("2026-05-05T12:00:00Z")), fields: ["method", "confirmedWith", "confirmedAt", "note"] },
  { name: "staff: related system", schema: tickRelatedSystemInputSchema, fields: ["systemKey", "note"] },
  { name: "staff: sender confirmation", schema: senderConfirmationInputSchema, fields: ["note"] },
  { name: "audit filters (CLI, export)", schema: auditFiltersSchema, fields: ["person", "organisationId", "action", "channel", "from", "to"] },
  { name: "audit query", schema: auditQuerySchema, fields: ["person", "organisationId", "action", "channel", "from", "to", "page", "pageSize"] },
];

describe("forms and server actions: hostile input", () => {
  it.each(FORM_SCHEMAS)("$name: safeParse never throws, and the typed parse throws only a validation error with a message", ({ schema, fields }) => {
    fc.assert(
      fc.property(fc.oneof(hostileForm(fields), hostileValue), (input) => {
        expect(() => schema.safeParse(input)).not.toThrow();
        expectOnlyValidationError(() => parseOrThrow(schema, input));
        expectOnlyValidationError(() => parseInput(schema, input));
      }),
      { numRuns: runs(150) },
    );
  });

  it("request input of any type, or none: only a validation error naming a field", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileForm(["type", "fullName", "email", "roleKeys", "purpose", "subjectAccountId", "endDate"]).map((v) => ({ ...v, type: v.type })),
          fc.record({ type: fc.constantFrom(...Object.keys(requestSchemas(context))) }).chain((base) => hostileForm(["fullName", "email", "jobTitle", "roleKeys", "purpose", "subjectAccountId", "endDate", "temporary"]).map((v) => ({ ...v, ...base }))),
          hostileValue,
        ),
        (input) => {
          const outcome = expectOnlyValidationError(() => parseRequestInput(input, context));
          // Nothing hostile is accepted as a whole request by accident: a valid one needs a name, an address …
          if (outcome === "accepted") expect(typeof (input as { type: unknown }).type).toBe("string");
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("audit search parameters (the /staff/audit page and its CSV export): never throw, refuse with field messages", () => {
    const param = fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("person", "organisation", "action", "channel", "from", "to", "from-day", "from-month", "from-year", "to-day", "to-month", "to-year", "page", "__proto__"), param), (params) => {
        const parsed = parseAuditSearch(params as Record<string, string | string[] | undefined>, today);
        if (!parsed.ok) {
          expect(Object.keys(parsed.fieldErrors).length).toBeGreaterThan(0);
          for (const message of Object.values(parsed.fieldErrors)) expect(message).toMatch(/[A-Za-z]{3}/);
        }
        expect(Number.isInteger(parsed.page) && parsed.page >= 1).toBe(true);
      }),
      { numRuns: runs(300) },
    );
  });

  it("a review ID that is not a UUID is refused (never reaches the database as SQL)", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.constantFrom(...INJECTIONS)), (text) => {
        const parsed = reviewIdSchema.safeParse(text);
        if (parsed.success) expect(parsed.data).toMatch(/^[0-9a-f-]{36}$/i);
      }),
      { numRuns: runs(200) },
    );
  });

  it("a posted form with hostile field names and values becomes plain values (the adapter never throws)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(hostileString, fc.constantFrom("$ACTION_ID_x", "endDate-day", "endDate-month", "endDate-year", "roleKeys")), hostileString), { maxLength: 12 }), (entries) => {
        const form = new FormData();
        for (const [k, v] of entries) form.append(k, v);
        const values = formValues(form, { lists: ["roleKeys"], dates: ["endDate"] });
        expect(Array.isArray(values.roleKeys)).toBe(true);
        expect(typeof values.endDate).toBe("string");
        expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
        expect(Object.keys(values).some((k) => k.startsWith("$ACTION"))).toBe(false);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe("forms: valid input round-trips", () => {
  const word = fc.stringMatching(/^[A-Z][a-z]{1,12}$/);
  const local = fc.stringMatching(/^[a-z]{1,10}\.[a-z]{1,10}$/).filter((l) => !/^(info|admin|office|reception|enquiries|team)\b/.test(l));

  it("a new user request: the parsed details are the form's values, normalised, and parse again to themselves", () => {
    fc.assert(
      fc.property(word, word, local, fc.constantFrom("Care Coordinator", "Finance Officer", "Support  Worker"), fc.boolean(), (first, last, user, jobTitle, upper) => {
        const email = `${upper ? user.toUpperCase() : user}@NHS.net`;
        const input = { type: "new_user", fullName: ` ${first}  ${last} `, email, jobTitle, roleKeys: ["care_coordinator"], purpose: "Arranging home care visits for the people we support" };
        const details = parseRequestInput(input, context);
        expect(details).toMatchObject({ type: "new_user", fullName: `${first} ${last}`, email: `${user}@nhs.net`, roleKeys: ["care_coordinator"] });
        // The stored details, posted again, are the same request (what the check-your-answers page relies on).
        const again = parseRequestInput({ ...input, fullName: (details as { fullName: string }).fullName, email: (details as { email: string }).email }, context);
        expect(again).toEqual(details);
      }),
      { numRuns: runs(100) },
    );
  });

  it("a new organisation: the ODS code is kept upper-case and the text trimmed", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{3,6}$/), word, (code, name) => {
        const parsed = createOrganisationInputSchema.safeParse({ odsCode: ` ${code.toLowerCase()} `, name: ` ${name} Care `, type: "care_home", address: "1 High Street" });
        if (!parsed.success) {
          // An ODS code the rules refuse is refused with a message, never thrown.
          expect(parsed.error.issues[0]?.message).toMatch(/[a-z]{3}/);
          return;
        }
        expect(parsed.data.name).toBe(`${name} Care`);
        expect(createOrganisationInputSchema.parse({ ...parsed.data })).toEqual(parsed.data);
      }),
      { numRuns: runs(100) },
    );
  });

  it("a licence allocation typed in a form is the number a person meant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(2026, 2027), (allocation, year) => {
        const parsed = licenceAllocationInputSchema(2026).parse({ year: String(year), allocation: ` ${allocation} ` });
        expect(parsed).toMatchObject({ year, allocation });
        expect(licenceAllocationInputSchema(2026).parse(parsed)).toEqual(parsed);
      }),
      { numRuns: runs(100) },
    );
  });

  it("a review decision round-trips", () => {
    fc.assert(
      fc.property(fc.constantFrom("keep", "change_role", "suspend"), fc.constantFrom("leader", "no_longer_needed", "moved_organisation", "leaver"), (decision, reason) => {
        const input = { decision, roleKeys: ["care_coordinator"], reason, reasonDetail: "" };
        const parsed = reviewDecisionInputSchema.safeParse(input);
        if (!parsed.success) {
          expect(reason).toBe("leader");
          return;
        }
        expect(parsed.data.decision).toBe(decision);
        expect(reviewDecisionInputSchema.parse(parsed.data)).toEqual(parsed.data);
      }),
      { numRuns: runs(50) },
    );
  });
});
