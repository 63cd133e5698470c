import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { leadConfirmationInputSchema, noteInputSchema, parseRequestInput, rejectInputSchema, type RequestDetails } from "@/lib/requests/schema";
import { requestTestConfig } from "./request-config";

const config = requestTestConfig();
const context = { config, today: "2026-05-05" };
const ORG = "4a3a5a8e-2d6c-4c1e-9a35-0d1f0c7b2b11";
const ACCOUNT = "5b4b6b9f-3e7d-4d2f-8b46-1e2a1d8c3c22";

const newUser = (overrides: Record<string, unknown> = {}) => ({
  type: "new_user",
  organisationId: ORG,
  fullName: "Jane Doe",
  email: "Jane.Doe@NHS.net",
  jobTitle: "Care Coordinator",
  roleKeys: ["care_coordinator"],
  purpose: "Arranging home care visits for the people we support",
  ...overrides,
});

function parse(input: unknown): RequestDetails {
  return parseRequestInput(input, context);
}

/** The field errors a parse fails with (fails the test if it passes). */
function fieldErrors(input: unknown): Record<string, string> {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation");
    return (error as AppError).fieldErrors;
  }
  throw new Error("expected the input to be refused");
}

describe("new user", () => {
  it("UAP-2.2 accepts a named address at an accepted domain, stored lower-case", () => {
    const details = parse(newUser());
    expect(details).toMatchObject({ type: "new_user", email: "jane.doe@nhs.net", emailVerdict: "accepted", emailAttested: false, roleKeys: ["care_coordinator"] });
  });

  it.each([
    ["info@meadowbank-care.example.org", "shared or generic mailbox"],
    ["reception@nhs.net", "shared or generic mailbox"],
    ["jane.doe@gmail.com", "personal email service"],
  ])("UAP-2.2 / UCP-EMAIL-1 refuses %s with the policy's reason", (email, reason) => {
    expect(fieldErrors(newUser({ email })).email).toContain(reason);
  });

  it("UCP-EMAIL-1 refuses an invalid address with a reason a person can act on", () => {
    expect(fieldErrors(newUser({ email: "jane.doe@" })).email).toContain("is not a valid email address");
    expect(fieldErrors(newUser({ email: "" })).email).toBe("Enter the person's work email address");
  });

  it("UCP-EMAIL-1 another domain needs the requester's attestation, which is recorded", () => {
    const errors = fieldErrors(newUser({ email: "jane.doe@meadowbank-care.example.org" }));
    expect(errors.emailAttested).toContain("Confirm that jane.doe@meadowbank-care.example.org is used only by this person");
    const details = parse(newUser({ email: "jane.doe@meadowbank-care.example.org", emailAttested: "yes" }));
    expect(details).toMatchObject({ emailVerdict: "attestation_required", emailAttested: true });
  });

  it("UCP-EMAIL-1 with the deployment refusing other domains, attestation does not help", () => {
    const strict = requestTestConfig({ email: { ...config.email, otherDomains: "refuse" } });
    expect(() => parseRequestInput(newUser({ email: "jane.doe@meadowbank-care.example.org", emailAttested: true }), { config: strict, today: context.today })).toThrow(AppError);
  });

  it("UCP-RBAC-2 with no role chosen, the job title's mapped role is requested and the suggestion recorded", () => {
    const details = parse(newUser({ roleKeys: undefined, jobTitle: "finance  officer" }));
    expect(details).toMatchObject({ roleKeys: ["finance"], suggestedRoleKey: "finance" });
    const chosen = parse(newUser({ roleKeys: "read_only", jobTitle: "Finance Officer" }));
    expect(chosen).toMatchObject({ roleKeys: ["read_only"], suggestedRoleKey: "finance" });
  });

  it("UCP-RBAC-2 a title with no mapping and no role chosen asks for a role", () => {
    expect(fieldErrors(newUser({ roleKeys: [], jobTitle: "Chef" })).roleKeys).toBe("Select the security role the person needs");
  });

  it("UCP-RBAC-2 a title mapped to the Lead role does not make a second Lead", () => {
    expect(fieldErrors(newUser({ roleKeys: [], jobTitle: "Registered Manager" })).roleKeys).toBe("Select the security role the person needs");
    expect(fieldErrors(newUser({ roleKeys: ["lead_correspondent"] })).roleKeys).toContain("request a change of Lead correspondent");
  });

  it("UAP-2.3 only provider roles from the catalogue can be requested", () => {
    expect(fieldErrors(newUser({ roleKeys: ["team_lead"] })).roleKeys).toContain("not a provider security role");
    expect(fieldErrors(newUser({ roleKeys: ["superuser"] })).roleKeys).toContain("not a provider security role");
  });

  it("UCP-RBAC-3 a clinical role needs the professional body and registration number", () => {
    const errors = fieldErrors(newUser({ roleKeys: ["nurse"], jobTitle: "Nurse" }));
    expect(errors.registrationBody).toContain("Nurse role is clinical");
    expect(errors.registrationNumber).toContain("registration number");
    const details = parse(newUser({ roleKeys: ["nurse"], jobTitle: "Nurse", registrationBody: "NMC", registrationNumber: "12A3456E" }));
    expect(details).toMatchObject({ registrationBody: "NMC", registrationNumber: "12A3456E" });
  });

  it("UCP-RBAC-3 a non-clinical role needs no registration", () => {
    expect(parse(newUser())).toMatchObject({ registrationBody: null, registrationNumber: null });
  });

  it("CC-2b a purpose is required and a secondary purpose refused", () => {
    expect(fieldErrors(newUser({ purpose: "  " })).purpose).toBe("Enter why the person needs access to the portal");
    expect(fieldErrors(newUser({ purpose: "Data for our research into falls" })).purpose).toContain('mentions "research"');
  });

  it("CC-7c temporary staff need an end date in the future", () => {
    expect(fieldErrors(newUser({ temporary: "yes" })).endDate).toBe("Enter the date access ends for this temporary member of staff");
    expect(fieldErrors(newUser({ temporary: true, endDate: "2026-05-05" })).endDate).toBe("End date must be in the future");
    expect(fieldErrors(newUser({ temporary: true, endDate: "2026-02-30" })).endDate).toContain("must be a real date");
    expect(parse(newUser({ temporary: true, endDate: "2026-08-31" }))).toMatchObject({ temporary: true, endDate: "2026-08-31" });
  });

  it("CC-7f the IG training date, when given, is a real date not in the future", () => {
    expect(fieldErrors(newUser({ igTrainingDate: "2026-05-06" })).igTrainingDate).toContain("today or in the past");
    expect(parse(newUser({ igTrainingDate: "2026-01-15" }))).toMatchObject({ igTrainingDate: "2026-01-15" });
    expect(parse(newUser({ igTrainingDate: "" }))).toMatchObject({ igTrainingDate: null });
  });

  it("reports every problem at once, keyed by field name", () => {
    const errors = fieldErrors({ type: "new_user" });
    expect(Object.keys(errors).sort()).toEqual(["email", "fullName", "jobTitle", "purpose", "roleKeys"]);
    expect(errors.fullName).toBe("Enter the person's full name");
  });

  it("refuses an over-long name", () => {
    expect(fieldErrors(newUser({ fullName: "x".repeat(201) })).fullName).toBe("Full name must be 200 characters or fewer");
  });
});

describe("other request types", () => {
  it("refuses an unknown type", () => {
    expect(fieldErrors({ type: "delete_everything" })).toEqual({ type: "Select the type of request" });
    expect(fieldErrors(null)).toEqual({ type: "Select the type of request" });
  });

  it("UAP-A.5 a role change names the user and the new roles", () => {
    expect(fieldErrors({ type: "role_change" })).toMatchObject({ subjectAccountId: "Select the user this request is about", roleKeys: "Select the security role the user needs" });
    expect(parse({ type: "role_change", subjectAccountId: ACCOUNT, roleKeys: ["finance", "finance"] })).toMatchObject({ roleKeys: ["finance"], reason: null });
  });

  it("UCP-RBAC-3 a role change to a clinical role needs the registration", () => {
    expect(fieldErrors({ type: "role_change", subjectAccountId: ACCOUNT, roleKeys: ["nurse"] })).toHaveProperty("registrationNumber");
  });

  it("CC-7g a suspension says why; 'another reason' needs the reason", () => {
    expect(fieldErrors({ type: "suspension", subjectAccountId: ACCOUNT }).reason).toBe("Select why the account should be suspended");
    expect(fieldErrors({ type: "suspension", subjectAccountId: ACCOUNT, reason: "other" }).reasonDetail).toBe("Enter why the account should be suspended");
    expect(parse({ type: "suspension", subjectAccountId: ACCOUNT, reason: "leaver" })).toMatchObject({ reason: "leaver", reasonDetail: null });
  });

  it("UAP-4.3c a reinstatement says why, and may set a new end date in the future", () => {
    expect(fieldErrors({ type: "reinstatement", subjectAccountId: ACCOUNT }).reason).toBe("Enter why the account should be reinstated");
    expect(fieldErrors({ type: "reinstatement", subjectAccountId: ACCOUNT, reason: "Back from leave", endDate: "2026-01-01" }).endDate).toBe("New end date must be in the future");
    expect(parse({ type: "reinstatement", subjectAccountId: ACCOUNT, reason: "Back from leave" })).toMatchObject({ endDate: null });
  });

  it("CC-7c an end date change needs a new date in the future", () => {
    expect(fieldErrors({ type: "end_date_change", subjectAccountId: ACCOUNT }).endDate).toBe("Enter the new end date");
    expect(fieldErrors({ type: "end_date_change", subjectAccountId: ACCOUNT, endDate: "2026-05-01" }).endDate).toBe("New end date must be in the future");
    expect(parse({ type: "end_date_change", subjectAccountId: ACCOUNT, endDate: "2026-12-31" })).toMatchObject({ endDate: "2026-12-31" });
  });

  it("UAP-A.3 a Lead change names an existing user or a new person with a named email", () => {
    expect(fieldErrors({ type: "lead_change" })).toMatchObject({ newLead: expect.any(String), outgoingLead: expect.any(String) });
    expect(fieldErrors({ type: "lead_change", newLead: "existing", outgoingLead: "suspend" }).newLeadAccountId).toBe("Select the user who will be the new Lead correspondent");
    expect(fieldErrors({ type: "lead_change", newLead: "new", outgoingLead: "suspend", fullName: "Ola Nowak", email: "office@nhs.net", jobTitle: "Manager" }).email).toContain("generic");
    const details = parse({ type: "lead_change", newLead: "new", outgoingLead: "suspend", fullName: "Ola Nowak", email: "Ola.Nowak@nhs.net", jobTitle: "Registered Manager" });
    expect(details).toMatchObject({ newLead: { kind: "new", email: "ola.nowak@nhs.net", emailVerdict: "accepted" }, outgoingLead: "suspend", outgoingRoleKeys: [] });
  });

  it("UAP-A.3 keeping the outgoing Lead needs the roles they keep", () => {
    expect(fieldErrors({ type: "lead_change", newLead: "existing", newLeadAccountId: ACCOUNT, outgoingLead: "keep" }).outgoingRoleKeys).toContain("outgoing Lead correspondent");
    expect(parse({ type: "lead_change", newLead: "existing", newLeadAccountId: ACCOUNT, outgoingLead: "keep", outgoingRoleKeys: "finance" })).toMatchObject({
      newLead: { kind: "existing", accountId: ACCOUNT },
      outgoingRoleKeys: ["finance"],
    });
  });
});

describe("staff inputs", () => {
  it("UAP-A.3 a confirmation says who confirmed, and cannot be in the future", () => {
    const now = new Date("2026-05-05T10:00:00Z");
    const schema = leadConfirmationInputSchema(now);
    expect(schema.safeParse({ method: "telephone", confirmedWith: "" }).success).toBe(false);
    expect(schema.safeParse({ method: "fax", confirmedWith: "Priya Shah" }).success).toBe(false);
    expect(schema.safeParse({ method: "email", confirmedWith: "Priya Shah", confirmedAt: "2026-05-06T10:00:00Z" }).success).toBe(false);
    expect(schema.parse({ method: "email", confirmedWith: "Priya Shah", confirmedAt: "2026-05-05T09:30:00Z" }).confirmedAt?.toISOString()).toBe("2026-05-05T09:30:00.000Z");
  });

  it("a rejection needs a reason", () => {
    expect(rejectInputSchema.safeParse({ reason: " " }).success).toBe(false);
  });

  it("refuses text the database cannot store (NUL) with a message, in a reason, a note and a request's fields", () => {
    const reason = rejectInputSchema.safeParse({ reason: "Not needed\u0000" });
    expect(reason.success).toBe(false);
    expect(reason.error?.issues[0]?.message).toBe("Reason must not contain a NUL character");
    expect(noteInputSchema.safeParse({ body: "\u0000" }).success).toBe(false);
    expect(rejectInputSchema.safeParse({ reason: "Not needed\nany more\t(moved)" }).success).toBe(true);
    expect(() => parseRequestInput(newUser({ jobTitle: "Nurse\u0000" }), context)).toThrow(AppError);
  });
});
