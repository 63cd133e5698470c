import { describe, expect, it } from "vitest";
import { addDays, dayIn, endDateWindow, formatDay, idleSince, inactivityCutoffs, inactivityDeadline, trainingExpiresOn } from "@/lib/jobs/rules";

const accounts = { inactivityDays: 60, inactivityWarningDays: 10, endDateWarningDays: 7 };
const at = (iso: string) => new Date(iso);

describe("job rules", () => {
  it("UAP-4.3b UAP-4.3c the inactivity clock starts at the latest of last sign-in, activation and reinstatement; creation when none", () => {
    const createdAt = at("2026-01-01T00:00:00Z");
    expect(idleSince({ lastSignInAt: at("2026-03-01T00:00:00Z"), activatedAt: at("2026-02-01T00:00:00Z"), reinstatedAt: null, createdAt })).toEqual(at("2026-03-01T00:00:00Z"));
    expect(idleSince({ lastSignInAt: null, activatedAt: at("2026-02-01T00:00:00Z"), reinstatedAt: null, createdAt })).toEqual(at("2026-02-01T00:00:00Z"));
    expect(idleSince({ lastSignInAt: at("2026-03-01T00:00:00Z"), activatedAt: at("2026-02-01T00:00:00Z"), reinstatedAt: at("2026-04-01T00:00:00Z"), createdAt })).toEqual(at("2026-04-01T00:00:00Z"));
    expect(idleSince({ lastSignInAt: null, activatedAt: null, reinstatedAt: null, createdAt })).toEqual(createdAt);
  });

  it("UAP-4.3b suspends 60 days after the clock starts and warns 10 days before", () => {
    const now = at("2026-07-03T09:00:00Z");
    expect(inactivityCutoffs(now, accounts)).toEqual({ suspend: at("2026-05-04T09:00:00Z"), warn: at("2026-05-14T09:00:00Z") });
    expect(inactivityDeadline(at("2026-05-04T09:00:00Z"), accounts)).toEqual(now);
  });

  it("CC-7c suspends on the end date and warns in the 7 days before it", () => {
    expect(endDateWindow("2026-05-04", accounts)).toEqual({ suspendOnOrBefore: "2026-05-04", warnUntil: "2026-05-11" });
    expect(addDays("2026-12-29", 7)).toBe("2027-01-05");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("reads today in London, not UTC", () => {
    expect(dayIn(at("2026-05-10T23:30:00Z"), "Europe/London")).toBe("2026-05-11");
    expect(dayIn(at("2026-01-10T23:30:00Z"), "Europe/London")).toBe("2026-01-10");
  });

  it("CC-7f training expires its validity in months later, month ends clamped", () => {
    expect(trainingExpiresOn("2025-05-04", 12)).toBe("2026-05-04");
    expect(trainingExpiresOn("2025-03-31", 11)).toBe("2026-02-28");
    expect(trainingExpiresOn("2024-02-29", 12)).toBe("2025-02-28");
  });

  it("writes days as people read them", () => {
    expect(formatDay("2026-05-11")).toBe("Monday 11 May 2026");
  });
});
