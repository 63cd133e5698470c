import { describe, expect, it } from "vitest";
import { caseConfirmationInputSchema, createOrganisationInputSchema, eligibilityInputSchema, inviteLeadInputSchema, licenceAllocationInputSchema, openCaseInputSchema } from "@/lib/organisations/schema";
import { fieldErrorsOf } from "@/lib/validation";
import { requestTestConfig } from "../requests/request-config";

const config = requestTestConfig();
const today = "2026-05-05";

function errors(result: { success: boolean; error?: unknown }): Record<string, string> {
  return result.success ? {} : fieldErrorsOf(result.error as Parameters<typeof fieldErrorsOf>[0]);
}

describe("createOrganisationInputSchema", () => {
  it("UCP-ORG-1 upper-cases the ODS code and needs name, type and address", () => {
    const ok = createOrganisationInputSchema.safeParse({ odsCode: " ab1c9 ", name: "Oak Lodge", type: "care_home", address: "1 Oak Road" });
    expect(ok.success && ok.data.odsCode).toBe("AB1C9");
    const bad = createOrganisationInputSchema.safeParse({ odsCode: "A-1", name: "", type: "spaceship", address: "" });
    expect(Object.keys(errors(bad)).sort()).toEqual(["address", "name", "odsCode", "type"]);
    expect(errors(bad).odsCode).toMatch(/only letters and numbers/);
  });
});

describe("eligibilityInputSchema", () => {
  it("UCP-ORG-1 saves the checklist part-way", () => {
    const result = eligibilityInputSchema(today).safeParse({ odsVerified: "yes", dpiaListed: "yes" });
    expect(result.success && result.data).toEqual({ odsVerified: true, dpiaListed: true });
  });

  it("UCP-ORG-2 an ICS approval started must be finished, and not dated in the future", () => {
    const result = eligibilityInputSchema(today).safeParse({ dpiaListed: "no", icsApprovedBy: "Dr Ann Lee", icsApprovedOn: "2026-05-06" });
    expect(errors(result)).toMatchObject({ icsApprovedOn: expect.stringMatching(/today or in the past/), icsEvidence: expect.stringMatching(/evidence/) });
    const ok = eligibilityInputSchema(today).safeParse({ dpiaListed: "no", icsApprovedBy: "Dr Ann Lee", icsApprovedOn: "2026-05-01", icsEvidence: "Email" });
    expect(ok.success && ok.data.icsApproval).toEqual({ approvedBy: "Dr Ann Lee", approvedOn: "2026-05-01", evidence: "Email" });
  });

  it("UCP-ORG-3 keeps the regional route's answers only for an organisation outside the region", () => {
    const own = eligibilityInputSchema(today).safeParse({ inRegion: "no", regionalRoute: "own_dpia", ownDpiaReference: "D-1", ownDpiaCompletedOn: "2026-01-10" });
    expect(own.success && own.data).toEqual({ odsVerified: false, inRegion: false, ownDpia: { reference: "D-1", completedOn: "2026-01-10" } });
    const inside = eligibilityInputSchema(today).safeParse({ inRegion: "yes", regionalRoute: "own_dpia", ownDpiaReference: "D-1", ownDpiaCompletedOn: "2026-01-10" });
    expect(inside.success && inside.data.ownDpia).toBeUndefined();
  });

  it("UCP-ORG-1 refuses an impossible DSPT date", () => {
    expect(errors(eligibilityInputSchema(today).safeParse({ dsptStatus: "Standards Met", dsptDate: "2026-02-30" })).dsptDate).toMatch(/real date/);
  });
});

describe("inviteLeadInputSchema", () => {
  it("UAP-2.2 refuses a generic mailbox for the Lead correspondent, with the policy's reason", () => {
    const result = inviteLeadInputSchema(config).safeParse({ fullName: "Office", email: "info@oak-lodge.example.org", jobTitle: "Manager" });
    expect(errors(result).email).toMatch(/shared or generic mailbox/);
  });

  it("UCP-EMAIL-1 a domain outside the accepted ones needs the staff member's attestation", () => {
    const unattested = inviteLeadInputSchema(config).safeParse({ fullName: "Ola Nowak", email: "ola.nowak@oak-lodge.example.org", jobTitle: "Registered Manager" });
    expect(errors(unattested).emailAttested).toMatch(/used only by this person/);
    const attested = inviteLeadInputSchema(config).safeParse({ fullName: "Ola Nowak", email: "Ola.Nowak@oak-lodge.example.org", jobTitle: "Registered Manager", emailAttested: "yes" });
    expect(attested.success && attested.data).toMatchObject({ email: "ola.nowak@oak-lodge.example.org", emailVerdict: "attestation_required" });
  });
});

describe("licenceAllocationInputSchema", () => {
  it("CC-2a takes a whole number of licences for this year or next", () => {
    expect(licenceAllocationInputSchema(2026).parse({ allocation: "30" })).toMatchObject({ year: 2026, allocation: 30 });
    expect(Object.keys(errors(licenceAllocationInputSchema(2026).safeParse({ year: "2025", allocation: "-1" }))).sort()).toEqual(["allocation", "year"]);
    expect(errors(licenceAllocationInputSchema(2026).safeParse({ allocation: "2.5" })).allocation).toMatch(/whole number/);
  });
});

describe("openCaseInputSchema", () => {
  const base = { kind: "closure", summary: "The registered manager phoned: the home closes.", notifiedBy: "Jane Doe, registered manager", notifiedVia: "telephone", notifiedOn: "2026-05-05", notifiedTime: "09:30" };

  it("UAP-5.3 a sudden case takes effect today and suspends the existing accounts", () => {
    const result = openCaseInputSchema({ config, today }).parse({ ...base, mode: "sudden" });
    expect(result).toMatchObject({ mode: "sudden", effectiveDate: today, suspendExisting: true, newAccounts: [] });
    // 09:30 in London (BST) is 08:30 UTC.
    expect(result.notifiedAt.toISOString()).toBe("2026-05-05T08:30:00.000Z");
  });

  it("UAP-5.2 a planned case needs a future date and at least one change; new accounts need name, email policy and a role", () => {
    const schema = openCaseInputSchema({ config, today });
    expect(errors(schema.safeParse({ ...base, mode: "planned" }))).toMatchObject({ effectiveDate: expect.any(String), suspendExisting: expect.any(String) });
    expect(errors(schema.safeParse({ ...base, mode: "planned", effectiveDate: today, suspendExisting: "yes" })).effectiveDate).toMatch(/future/);
    const rows = errors(
      schema.safeParse({
        ...base,
        kind: "change_of_ownership",
        mode: "planned",
        effectiveDate: "2026-06-01",
        newAccounts: [
          { fullName: "New Lead", email: "new.lead@nhs.net", roleKey: "lead_correspondent" },
          { fullName: "", email: "office@nhs.net", roleKey: "nope" },
          { fullName: "Dup", email: "NEW.LEAD@nhs.net", roleKey: "finance" },
        ],
      }),
    );
    expect(rows).toMatchObject({
      "newAccounts.1.fullName": expect.any(String),
      "newAccounts.1.email": expect.stringMatching(/generic/),
      "newAccounts.1.roleKey": expect.any(String),
      "newAccounts.2.email": expect.stringMatching(/twice/),
    });
    expect(rows["newAccounts.0.email"]).toBeUndefined();
  });

  it("UAP-A.7 the written confirmation needs a name, an authority, a date not in the future and a note", () => {
    const schema = caseConfirmationInputSchema(today);
    expect(Object.keys(errors(schema.safeParse({ confirmedByRole: "chef", confirmedOn: "2026-05-06" }))).sort()).toEqual([
      "confirmationNote",
      "confirmedByName",
      "confirmedByRole",
      "confirmedOn",
    ]);
    expect(schema.safeParse({ confirmedByName: "Jane Doe", confirmedByRole: "appointed_administrator", confirmedOn: "2026-05-05", confirmationNote: "Letter on file" }).success).toBe(true);
  });
});
