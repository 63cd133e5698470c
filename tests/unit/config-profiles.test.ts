import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, providerKinds, validateConfig, type PortalConfigInput } from "../../lib/config";
import { connectingCareProfile } from "../../lib/config/profiles/connecting-care";
import { councilProfile } from "../../lib/config/profiles/council";
import { profiles } from "../../lib/config/profiles";
import { universalCarePlanProfile } from "../../lib/config/profiles/universal-care-plan";

/** Appendix 1 of the UCP onboarding SOP, as the seed writes it ("Clinician" is the Clinical role). */
const ucpAppendix: [jobTitle: string, ucpRole: string][] = [
  ["111 Clinician", "Urgent Care"],
  ["111 Supervisor", "Urgent Care"],
  ["A&E Liaison Officer", "Non-Clinical"],
  ["Access Co-ordinator", "Non-Clinical"],
  ["Approved Social Worker", "Non-Clinical"],
  ["Assistant Care Manager", "Non-Clinical"],
  ["Assistant Team Manager", "Non-Clinical"],
  ["Behavioural Specialist", "Non-Clinical"],
  ["Care Manager", "Non-Clinical"],
  ["Nurse", "Clinician"],
  ["Clinical Administrator", "Non-Clinical"],
  ["Clinical Lead", "Clinician"],
  ["Clinical Nurse Specialist", "Clinician"],
  ["Community Nurse", "Clinician"],
  ["Community Paediatrician", "Clinician"],
  ["Community Psychiatric Nurse", "Clinician"],
  ["Community Support Worker", "Non-Clinical"],
  ["Consultant Medical", "Clinician"],
  ["District Nurse", "Clinician"],
  ["Duty Social Worker", "Non-Clinical"],
  ["Education Social Worker", "Non-Clinical"],
  ["Family Worker", "Non-Clinical"],
  ["General Practitioner", "Clinician"],
  ["Health Care Assistant", "Non-Clinical"],
  ["Junior Doctor", "Clinician"],
  ["Occupational Therapist", "Clinician"],
  ["OOH GP", "Urgent Care"],
  ["Paramedic", "Urgent Care"],
  ["Practice Manager", "Non-Clinical"],
  ["Registrar", "Clinician"],
  ["Reviewing Officer", "Non-Clinical"],
  ["Senior Social Worker", "Non-Clinical"],
  ["Social Worker", "Non-Clinical"],
  ["Social Worker Supervisor", "Non-Clinical"],
  ["Speech and Language Therapist", "Clinician"],
  ["Staff Nurse", "Clinician"],
  ["Trainee Social Worker", "Non-Clinical"],
];
const ucpRoleKeyFor: Record<string, string> = { Clinician: "clinical", "Non-Clinical": "non_clinical", "Urgent Care": "urgent_care" };

/** A deep copy to break, so one test's damage never reaches another. */
function copy(profile: PortalConfigInput): PortalConfigInput {
  return structuredClone(profile);
}

/** The problems a ConfigError names, or a failure if the config was accepted. */
function problemsOf(input: unknown): { path: string; message: string }[] {
  try {
    validateConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected the configuration to be refused");
}

describe("shipped profiles", () => {
  it("registers the council, connecting-care and universal-care-plan profiles", () => {
    expect(Object.keys(profiles).sort()).toEqual(["connecting-care", "council", "universal-care-plan"]);
  });

  it.each(Object.entries(profiles))("profile %s validates and names itself", (name, profile) => {
    const config = validateConfig(profile);
    expect(config.profile).toBe(name);
  });

  it.each(Object.entries(profiles))("UAP-A.2 profile %s has a Lead correspondent role that is a provider authoriser able to edit users", (_name, profile) => {
    const config = validateConfig(profile);
    const lead = config.securityRoles.find((role) => role.key === config.leadRoleKey);
    expect(lead?.audience).toBe("provider");
    expect(lead?.authoriser).toBe(true);
    expect(lead?.grants.users).toBe("edit");
  });

  it.each(Object.entries(profiles))("AUP-6.3 in profile %s every provider authoriser role can edit users", (_name, profile) => {
    const config = validateConfig(profile);
    for (const role of config.securityRoles.filter((r) => r.authoriser)) {
      expect(role.audience, role.key).toBe("provider");
      expect(role.grants.users, role.key).toBe("edit");
    }
  });

  it.each(Object.entries(profiles))("UAP-6.1 profile %s carries policies reviewed within 12 months", (_name, profile) => {
    const config = validateConfig(profile);
    for (const policy of config.policies) {
      const limit = new Date(`${policy.effectiveDate}T00:00:00Z`);
      limit.setUTCFullYear(limit.getUTCFullYear() + 1);
      expect(new Date(`${policy.reviewDate}T00:00:00Z`).getTime()).toBeLessThanOrEqual(limit.getTime());
    }
  });

  it.each(Object.entries(profiles))("profile %s maps every job title to a role the profile has, with no title twice", (_name, profile) => {
    const config = validateConfig(profile);
    const keys = new Set(config.securityRoles.map((role) => role.key));
    const titles = config.jobTitleRoles.map((entry) => entry.jobTitle.toLowerCase());
    expect(new Set(titles).size).toBe(titles.length);
    for (const entry of config.jobTitleRoles) expect(keys.has(entry.roleKey), entry.jobTitle).toBe(true);
  });

  it.each(Object.entries(profiles))("profile %s names no real organisation, mailbox or person from the seeds", (_name, profile) => {
    const config = validateConfig(profile);
    for (const address of [config.operator.mailbox, config.operator.dataProtection.email]) {
      expect(address).toMatch(/@([a-z0-9-]+\.)*example\.(org|com)$/);
    }
    const text = JSON.stringify(profile).toLowerCase();
    for (const real of ["swcsu", "commissioning support", "connectingcare.info", "natasha", "tigere", "fischer", "better.care", "hscn", "london care record"]) {
      expect(text, real).not.toContain(real);
    }
  });
});

describe("Connecting Care profile", () => {
  const config = validateConfig(connectingCareProfile);

  it("CC-5 actions requests within 5 working days", () => {
    expect(config.requests.slaWorkingDays).toBe(5);
  });

  it("CC-2a allocates licences per year and alerts authorisers before the maximum", () => {
    expect(config.licences.defaultAllocation).toBeGreaterThan(0);
    expect(config.licences.alertThresholdPercent).toBeLessThan(100);
  });

  it("CC-2b refuses research and other secondary purposes", () => {
    expect(config.requests.refusedPurposeTerms).toEqual(expect.arrayContaining(["research", "secondary use"]));
  });

  it("CC-4 has an authoriser role as the lead role, and viewer and clinical roles for users", () => {
    expect(config.leadRoleKey).toBe("authoriser");
    const names = config.securityRoles.map((role) => role.name);
    expect(names).toEqual(expect.arrayContaining(["Authoriser", "Connecting Care viewer", "Clinical"]));
  });
});

describe("Universal Care Plan profile", () => {
  const config = validateConfig(universalCarePlanProfile);

  it("UCP-RBAC-1 has exactly the four UCP roles, Clinical being the clinical one", () => {
    const roles = config.securityRoles.map((role) => [role.name, role.audience, role.clinical]);
    expect(roles).toEqual([
      ["Clinical", "provider", true],
      ["Non-clinical", "provider", false],
      ["Urgent care", "provider", false],
      ["System administrator", "operator", false],
    ]);
  });

  it("UCP-RBAC-1 gives Urgent care view-only rights and Clinical edit rights over care information", () => {
    const byKey = new Map(config.securityRoles.map((role) => [role.key, role]));
    expect(Object.values(byKey.get("urgent_care")?.grants ?? {}).every((level) => level === "read")).toBe(true);
    expect(byKey.get("clinical")?.grants).toMatchObject({ contracts: "edit", queries: "edit", contacts: "edit" });
    expect(byKey.get("non_clinical")?.grants).toMatchObject({ contracts: "read", contacts: "edit" });
    for (const role of config.securityRoles.filter((r) => r.audience === "provider")) {
      for (const kind of Object.keys(role.grants)) expect(providerKinds as readonly string[]).toContain(kind);
    }
  });

  it("UCP-RBAC-2 maps every row of the SOP's Appendix 1, and nothing else", () => {
    const expected = ucpAppendix.map(([jobTitle, ucpRole]) => ({ jobTitle, roleKey: ucpRoleKeyFor[ucpRole] }));
    expect(config.jobTitleRoles).toEqual(expected);
    expect(config.jobTitleRoles).toHaveLength(37);
  });

  it("UCP-EMAIL-1 accepts nhs.net, nhs.uk and gov.uk, and other domains with attestation", () => {
    expect(config.email.acceptedDomains).toEqual(["nhs.net", "nhs.uk", "gov.uk"]);
    expect(config.email.otherDomains).toBe("attestation");
  });

  it("UCP-HD-1 keeps service hours Monday to Friday 09:00 to 17:00, except bank holidays", () => {
    expect(config.requests.serviceHours).toEqual({ timeZone: "Europe/London", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" });
    expect(config.requests.bankHolidayDivision).toBe("england-and-wales");
  });
});

describe("invalid configuration", () => {
  it("a bad operator mailbox is refused, naming operator.mailbox", () => {
    const bad = copy(councilProfile);
    bad.operator.mailbox = "brokerage at council";
    expect(problemsOf(bad).map((p) => p.path)).toContain("operator.mailbox");
  });

  it("UAP-6.1 a review date 13 months after the effective date is refused, naming the policy's reviewDate", () => {
    const bad = copy(councilProfile);
    bad.policies[1] = { ...bad.policies[1]!, effectiveDate: "2026-04-01", reviewDate: "2027-05-01" };
    const problems = problemsOf(bad);
    expect(problems).toContainEqual({ path: "policies.1.reviewDate", message: expect.stringContaining("12 months") });
  });

  it("UAP-6.1 a review date exactly 12 months after the effective date is accepted", () => {
    const ok = copy(councilProfile);
    ok.policies[0] = { ...ok.policies[0]!, effectiveDate: "2026-02-28", reviewDate: "2027-02-28" };
    expect(() => validateConfig(ok)).not.toThrow();
  });

  it("an unknown leadRoleKey is refused, naming leadRoleKey", () => {
    const bad = copy(universalCarePlanProfile);
    bad.leadRoleKey = "organisation_manager";
    expect(problemsOf(bad)).toContainEqual({ path: "leadRoleKey", message: expect.stringContaining("organisation_manager") });
  });

  it("UAP-A.2 a lead role that is not an authoriser is refused", () => {
    const bad = copy(universalCarePlanProfile);
    bad.leadRoleKey = "urgent_care";
    expect(problemsOf(bad).map((p) => p.path)).toContain("leadRoleKey");
  });

  it("UCP-NET-1 a bad trusted network range is refused, naming its index", () => {
    const bad = copy(universalCarePlanProfile);
    bad.network.trustedNetworks = ["10.0.0.0/8", "10.0.0.0/33", "not a range"];
    const paths = problemsOf(bad).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["network.trustedNetworks.1", "network.trustedNetworks.2"]));
    expect(paths).not.toContain("network.trustedNetworks.0");
  });

  it("UCP-RBAC-2 a job title naming a missing role is refused, naming the entry", () => {
    const bad = copy(universalCarePlanProfile);
    bad.jobTitleRoles = [...bad.jobTitleRoles, { jobTitle: "Pharmacist", roleKey: "pharmacy" }];
    expect(problemsOf(bad)).toContainEqual({ path: "jobTitleRoles.37.roleKey", message: expect.stringContaining("pharmacy") });
  });

  it("UCP-RBAC-1 a provider role granting an operator kind is refused", () => {
    const bad = copy(universalCarePlanProfile);
    bad.securityRoles[2] = { ...bad.securityRoles[2]!, grants: { contacts: "read", audit: "read" } };
    expect(problemsOf(bad).map((p) => p.path)).toContain("securityRoles.2.grants.audit");
  });

  it("CC-2b a refused purpose term shorter than two letters is refused", () => {
    const bad = copy(connectingCareProfile);
    bad.requests.refusedPurposeTerms = ["research", "x"];
    expect(problemsOf(bad).map((p) => p.path)).toContain("requests.refusedPurposeTerms.1");
  });

  it("UCP-HD-1 service hours that end before they start are refused", () => {
    const bad = copy(universalCarePlanProfile);
    bad.requests.serviceHours = { timeZone: "Europe/London", days: [1, 2, 3, 4, 5], start: "17:00", end: "09:00" };
    expect(problemsOf(bad).map((p) => p.path)).toContain("requests.serviceHours.end");
  });

  it("reports every problem at once, not just the first", () => {
    const bad = copy(connectingCareProfile);
    bad.operator.mailbox = "nope";
    bad.leadRoleKey = "nobody";
    bad.network.trustedNetworks = ["999.0.0.0/8"];
    const paths = problemsOf(bad).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["operator.mailbox", "leadRoleKey", "network.trustedNetworks.0"]));
  });
});

describe("loadConfig with PORTAL_PROFILE and PORTAL_CONFIG", () => {
  const dir = mkdtempSync(join(tmpdir(), "portal-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
    return path;
  };

  it("uses the council profile by default and a named profile when asked", () => {
    expect(loadConfig({}).profile).toBe("council");
    expect(loadConfig({ PORTAL_PROFILE: "universal-care-plan" }).profile).toBe("universal-care-plan");
  });

  it("merges a file's objects into the profile and lets its arrays replace the profile's", () => {
    const path = file("override.json", {
      operator: { mailbox: "Access.Team@Borough.Example.org" },
      requests: { slaWorkingDays: 3 },
      email: { acceptedDomains: ["borough.example.org"] },
    });
    const config = loadConfig({ PORTAL_PROFILE: "connecting-care", PORTAL_CONFIG: path });
    expect(config.operator.mailbox).toBe("access.team@borough.example.org");
    expect(config.operator.name).toBe(connectingCareProfile.operator.name);
    expect(config.requests.slaWorkingDays).toBe(3);
    expect(config.requests.serviceHours.start).toBe("09:00");
    expect(config.email.acceptedDomains).toEqual(["borough.example.org"]);
    expect(config.email.genericMailboxNames).toContain("info");
  });

  it("lets a file choose its base profile with extends", () => {
    const path = file("extends.json", { extends: "universal-care-plan", sessions: { idleMinutes: 10 } });
    const config = loadConfig({ PORTAL_CONFIG: path });
    expect(config.profile).toBe("universal-care-plan");
    expect(config.sessions).toEqual({ idleMinutes: 10, absoluteHours: 10 });
  });

  it("names the bad field when an override breaks the configuration", () => {
    const path = file("bad.json", { network: { trustedNetworks: ["10.0.0.0/8", "10.1.2.3/40"] } });
    expect(() => loadConfig({ PORTAL_CONFIG: path })).toThrow(ConfigError);
    try {
      loadConfig({ PORTAL_CONFIG: path });
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(["network.trustedNetworks.1"]);
      expect((error as ConfigError).message).toContain("network.trustedNetworks.1");
    }
  });

  it("refuses a file that is not JSON, and an unknown profile", () => {
    expect(() => loadConfig({ PORTAL_CONFIG: file("broken.json", "{ not json") })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTAL_PROFILE: "no-such-profile" })).toThrow(/Unknown configuration profile "no-such-profile"/);
  });
});
