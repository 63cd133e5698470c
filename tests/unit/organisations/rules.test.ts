import { describe, expect, it } from "vitest";
import {
  canOpenCase,
  caseClosingGaps,
  formatCaseReference,
  guidanceBannerDue,
  licenceAlertDecision,
  licenceAlertRecipients,
  parseOdsCode,
  statusWhenCaseOpens,
  statusWhenSuspensionsRun,
} from "@/lib/organisations/rules";

describe("parseOdsCode", () => {
  it.each([
    ["AB1C2", "AB1C2"],
    ["ab1c2", "AB1C2"],
    ["  rx1 ", "RX1"],
    ["A12345", "A12345"],
    ["VM 1A2", "VM1A2"],
  ])("UCP-ORG-1 accepts %j as %s", (input, code) => {
    expect(parseOdsCode(input)).toEqual({ ok: true, code });
  });

  it.each([
    ["", /Enter the organisation's ODS code/],
    ["   ", /Enter the organisation's ODS code/],
    ["AB", /3 to 6/],
    ["ABCDEFG", /3 to 6/],
    ["AB-12", /only letters and numbers/],
    ["AB1C2;", /only letters and numbers/],
    ["ÄB1C2", /only letters and numbers/],
  ])("UCP-ORG-1 refuses %j", (input, reason) => {
    const check = parseOdsCode(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});

describe("cases", () => {
  it("UAP-5.3 a sudden closure closes the organisation; sudden administration or loss of ownership leaves it closing", () => {
    expect(statusWhenCaseOpens("closure", "sudden", "active")).toBe("closed");
    expect(statusWhenCaseOpens("administration", "sudden", "active")).toBe("closing");
    expect(statusWhenCaseOpens("change_of_ownership", "sudden", "active")).toBe("closing");
  });

  it("UAP-5.2 a planned closure or administration is closing until its date; a planned change of ownership stays active", () => {
    expect(statusWhenCaseOpens("closure", "planned", "active")).toBe("closing");
    expect(statusWhenCaseOpens("administration", "planned", "active")).toBe("closing");
    expect(statusWhenCaseOpens("change_of_ownership", "planned", "active")).toBe("active");
    expect(statusWhenSuspensionsRun("closure", "closing")).toBe("closed");
    expect(statusWhenSuspensionsRun("administration", "closing")).toBe("closing");
    expect(statusWhenSuspensionsRun("change_of_ownership", "active")).toBe("active");
  });

  it("UAP-A.7 a case is opened only for an active or closing organisation", () => {
    expect(canOpenCase("active").ok).toBe(true);
    expect(canOpenCase("closing").ok).toBe(true);
    expect(canOpenCase("onboarding").ok).toBe(false);
    expect(canOpenCase("closed").ok).toBe(false);
  });

  it("UAP-A.7 a case closes only with the written confirmation, the care-packages check and nothing scheduled", () => {
    const open = { status: "open" as const, confirmedByName: null, confirmedByRole: null, confirmedOn: null, carePackagesCheckedAt: null, scheduledActions: 2 };
    const gaps = caseClosingGaps(open);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toMatch(/written confirmation/);
    expect(gaps[1]).toMatch(/care packages/);
    expect(gaps[2]).toMatch(/2 scheduled changes/);
    expect(caseClosingGaps({ ...open, confirmedByName: "Jane Doe", confirmedByRole: "appointed_administrator", confirmedOn: "2026-05-01", scheduledActions: 0 })).toEqual([
      "Confirm that providers who took over care packages can see what they need",
    ]);
    expect(
      caseClosingGaps({ ...open, confirmedByName: "Jane Doe", confirmedByRole: "registered_manager", confirmedOn: "2026-05-01", carePackagesCheckedAt: new Date(), scheduledActions: 0 }),
    ).toEqual([]);
    expect(caseClosingGaps({ ...open, status: "closed" })).toEqual(["The case is already closed"]);
  });

  it("formats case references", () => {
    expect(formatCaseReference(12)).toBe("CASE-000012");
  });
});

describe("licenceAlertDecision", () => {
  const base = { allocation: 10, thresholdPercent: 90, alertedPercent: null };

  it("CC-2a alerts when use first reaches the threshold", () => {
    expect(licenceAlertDecision({ ...base, used: 8 })).toEqual({ action: "none", percent: 80 });
    expect(licenceAlertDecision({ ...base, used: 9 })).toEqual({ action: "alert", percent: 90, markPercent: 90 });
    expect(licenceAlertDecision({ ...base, used: 10 }).action).toBe("alert");
  });

  it("CC-2a alerts once per crossing: not again while over, re-armed once back under", () => {
    expect(licenceAlertDecision({ ...base, used: 10, alertedPercent: 90 }).action).toBe("none");
    expect(licenceAlertDecision({ ...base, used: 5, alertedPercent: 90 }).action).toBe("rearm");
    expect(licenceAlertDecision({ ...base, allocation: 20, used: 10, alertedPercent: 90 }).action).toBe("rearm");
    expect(licenceAlertDecision({ ...base, used: 5, alertedPercent: null }).action).toBe("none");
  });

  it("CC-2a a lower threshold remembered from before alerts again at the configured one", () => {
    expect(licenceAlertDecision({ ...base, used: 9, alertedPercent: 80 }).action).toBe("alert");
  });

  it("CC-2a an allocation of zero with accounts in use is over the threshold", () => {
    expect(licenceAlertDecision({ ...base, allocation: 0, used: 0 }).action).toBe("none");
    expect(licenceAlertDecision({ ...base, allocation: 0, used: 1 }).action).toBe("alert");
  });

  it("CC-2a the alert goes to the Lead correspondent(s) and the staff mailbox, each once", () => {
    expect(licenceAlertRecipients(["Priya.Shah@example.org", "priya.shah@example.org"], "brokerage@council.example.org")).toEqual([
      "priya.shah@example.org",
      "brokerage@council.example.org",
    ]);
    expect(licenceAlertRecipients([], "brokerage@council.example.org")).toEqual(["brokerage@council.example.org"]);
  });
});

describe("guidanceBannerDue", () => {
  const now = new Date("2026-05-05T09:00:00Z");
  const day = 86_400_000;

  it("UAP-A.1 shows a new Lead correspondent the guidance banner for 7 days, until they have read it", () => {
    expect(guidanceBannerDue({ isLead: true, activatedAt: new Date(now.getTime() - day), now, guidanceViewed: false })).toBe(true);
    expect(guidanceBannerDue({ isLead: true, activatedAt: new Date(now.getTime() - 7 * day), now, guidanceViewed: false })).toBe(true);
    expect(guidanceBannerDue({ isLead: true, activatedAt: new Date(now.getTime() - 8 * day), now, guidanceViewed: false })).toBe(false);
    expect(guidanceBannerDue({ isLead: true, activatedAt: new Date(now.getTime() - day), now, guidanceViewed: true })).toBe(false);
    expect(guidanceBannerDue({ isLead: false, activatedAt: new Date(now.getTime() - day), now, guidanceViewed: false })).toBe(false);
    expect(guidanceBannerDue({ isLead: true, activatedAt: null, now, guidanceViewed: false })).toBe(false);
  });
});
