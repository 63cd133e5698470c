import { describe, expect, it } from "vitest";
import { addMonths, dsptRequired, evaluateEligibility, readEligibility, type Eligibility } from "@/lib/organisations/eligibility";
import type { OrganisationType } from "@/lib/organisations/eligibility";

const today = "2026-05-05";
const context = (type: OrganisationType = "care_home") => ({ type, today, region: "Example County" });

/** Everything a care home needs, met. */
const complete: Eligibility = { odsVerified: true, dpiaListed: true, dsptStatus: "Standards Met", dsptDate: "2026-03-31", inRegion: true };

function item(result: ReturnType<typeof evaluateEligibility>, key: string) {
  return result.items.find((i) => i.key === key)!;
}

describe("evaluateEligibility", () => {
  it("UCP-ORG-1 passes with a verified ODS code, DPIA listing, DSPT Standards Met and in region", () => {
    const result = evaluateEligibility(complete, context());
    expect(result.eligible).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.items.map((i) => i.status)).toEqual(["met", "met", "met", "met"]);
  });

  it("UCP-ORG-1 an empty checklist fails on every item, each saying what to do", () => {
    const result = evaluateEligibility({}, context());
    expect(result.eligible).toBe(false);
    expect(result.items.map((i) => i.status)).toEqual(["not_met", "not_met", "not_met", "not_met"]);
    expect(result.missing).toHaveLength(4);
    expect(result.missing[0]).toMatch(/ODS code/);
    expect(result.missing[3]).toMatch(/Example County/);
  });

  it("UCP-ORG-1 an unverified ODS code fails", () => {
    const result = evaluateEligibility({ ...complete, odsVerified: false }, context());
    expect(result.eligible).toBe(false);
    expect(item(result, "ods").status).toBe("not_met");
  });

  it.each<[OrganisationType, boolean]>([
    ["social_care", true],
    ["care_home", true],
    ["domiciliary_care", true],
    ["charity", true],
    ["other_non_nhs", true],
    ["local_authority", true],
    ["nhs_trust", false],
    ["gp_practice", false],
    ["icb", false],
  ])("UCP-ORG-1 DSPT is required for %s: %s", (type, required) => {
    expect(dsptRequired(type)).toBe(required);
    const result = evaluateEligibility({ ...complete, dsptStatus: null, dsptDate: null }, context(type));
    expect(result.eligible).toBe(!required);
    expect(item(result, "dspt").status).toBe(required ? "not_met" : "not_needed");
  });

  it.each([
    ["Approaching Standards", false],
    ["Standards Not Met", false],
    ["Not published", false],
    ["Standards Met", true],
    ["Standards Exceeded", true],
  ] as const)('UCP-ORG-1 DSPT status "%s" passes: %s', (status, passes) => {
    const result = evaluateEligibility({ ...complete, dsptStatus: status }, context("domiciliary_care"));
    expect(result.eligible).toBe(passes);
    if (!passes) expect(item(result, "dspt").detail).toContain(status);
  });

  it("UCP-ORG-1 DSPT Standards Met needs its date, no more than 12 months old", () => {
    expect(evaluateEligibility({ ...complete, dsptDate: null }, context()).missing).toEqual(["Record the date of the DSPT status"]);
    expect(evaluateEligibility({ ...complete, dsptDate: "2025-05-05" }, context()).eligible).toBe(true);
    const stale = evaluateEligibility({ ...complete, dsptDate: "2025-05-04" }, context());
    expect(stale.eligible).toBe(false);
    expect(stale.missing[0]).toMatch(/more than 12 months ago/);
    expect(evaluateEligibility({ ...complete, dsptDate: "2026-06-30" }, context()).eligible).toBe(true);
    expect(evaluateEligibility({ ...complete, dsptDate: "2027-06-30" }, context()).eligible).toBe(false);
  });

  it("UCP-ORG-2 not listed in the DPIA needs the ICS lead's recorded approval: who, when, evidence", () => {
    const notListed = evaluateEligibility({ ...complete, dpiaListed: false }, context());
    expect(notListed.eligible).toBe(false);
    expect(item(notListed, "dpia").clauses).toContain("UCP-ORG-2");
    expect(item(notListed, "dpia").detail).toMatch(/ICS lead's approval/);

    const approved = evaluateEligibility(
      { ...complete, dpiaListed: false, icsApproval: { approvedBy: "Dr Ann Lee, ICS digital lead", approvedOn: "2026-04-20", evidence: "Email of 20 April, filed in the onboarding folder" } },
      context(),
    );
    expect(approved.eligible).toBe(true);
    expect(item(approved, "dpia").detail).toMatch(/Dr Ann Lee/);

    const noEvidence = evaluateEligibility({ ...complete, dpiaListed: false, icsApproval: { approvedBy: "Dr Ann Lee", approvedOn: "2026-04-20", evidence: " " } }, context());
    expect(noEvidence.eligible).toBe(false);
    expect(noEvidence.missing[0]).toMatch(/the evidence/);

    const future = evaluateEligibility({ ...complete, dpiaListed: false, icsApproval: { approvedBy: "Dr Ann Lee", approvedOn: "2026-05-06", evidence: "Email" } }, context());
    expect(future.eligible).toBe(false);
  });

  it("UCP-ORG-3 outside the region needs the regional lead's approval or its own DPIA", () => {
    const outside = evaluateEligibility({ ...complete, inRegion: false }, context());
    expect(outside.eligible).toBe(false);
    expect(item(outside, "region").detail).toMatch(/regional lead's approval.*own DPIA/);

    const regional = evaluateEligibility({ ...complete, inRegion: false, regionalApproval: { approvedBy: "Sam Okoro, regional lead", approvedOn: "2026-05-01", evidence: "Letter" } }, context());
    expect(regional.eligible).toBe(true);

    const ownDpia = evaluateEligibility({ ...complete, inRegion: false, ownDpia: { reference: "DPIA-2026-14", completedOn: "2026-02-01" } }, context());
    expect(ownDpia.eligible).toBe(true);
    expect(item(ownDpia, "region").detail).toMatch(/DPIA-2026-14/);
  });

  it("UCP-ORG-1 reads stored data leniently: a malformed answer counts as not answered, never as met", () => {
    expect(readEligibility({ dpiaListed: "yes", dsptStatus: "Standards Met", dsptDate: "31/03/2026", inRegion: true })).toEqual({ dsptStatus: "Standards Met", inRegion: true });
    expect(readEligibility(null)).toEqual({});
    expect(evaluateEligibility({ ...complete, odsVerified: "true" }, context()).eligible).toBe(false);
  });
});

describe("addMonths", () => {
  it("moves a day by whole months, keeping to the month's last day", () => {
    expect(addMonths("2026-05-05", -12)).toBe("2025-05-05");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
  });
});
