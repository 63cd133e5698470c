import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reviewReportCsv } from "@/lib/reviews/export-review-report";
import type { QuarterlyReport } from "@/lib/reviews/queries";
import {
  addDays,
  addMonths,
  canSignOff,
  daysBetween,
  decisionsFor,
  endDatePassed,
  idleForReport,
  isOverdue,
  periodLabel,
  reminderDue,
  reviewPeriodFor,
  reviewStanding,
  trainingCutoff,
  trainingExpired,
} from "@/lib/reviews/rules";
import { reviewDecisionInputSchema } from "@/lib/reviews/schema";

/** The pure rules of the quarterly access review (UAP-4.2, UAP-4.3a): periods, due dates, reminders, findings. */

describe("review periods", () => {
  it.each([
    ["2026-01-01", "2026-01-01", "2026-03-31", "January to March 2026"],
    ["2026-03-31", "2026-01-01", "2026-03-31", "January to March 2026"],
    ["2026-04-01", "2026-04-01", "2026-06-30", "April to June 2026"],
    ["2026-05-05", "2026-04-01", "2026-06-30", "April to June 2026"],
    ["2026-06-30", "2026-04-01", "2026-06-30", "April to June 2026"],
    ["2026-07-01", "2026-07-01", "2026-09-30", "July to September 2026"],
    ["2026-12-31", "2026-10-01", "2026-12-31", "October to December 2026"],
  ])("UAP-4.2 %s falls in the quarter %s to %s, due on its last day", (today, start, end, label) => {
    expect(reviewPeriodFor(today, 3)).toEqual({ start, end, dueOn: end, label });
  });

  it("UAP-4.2 a leap year's first quarter ends on 31 March, and February has 29 days in a monthly review", () => {
    expect(reviewPeriodFor("2028-02-10", 3).end).toBe("2028-03-31");
    expect(reviewPeriodFor("2028-02-10", 1)).toEqual({ start: "2028-02-01", end: "2028-02-29", dueOn: "2028-02-29", label: "February 2028" });
  });

  it("UAP-4.2 other intervals count from January; one that does not divide the year ends on 31 December", () => {
    expect(reviewPeriodFor("2026-08-15", 6)).toMatchObject({ start: "2026-07-01", end: "2026-12-31", label: "July to December 2026" });
    expect(reviewPeriodFor("2026-08-15", 12)).toMatchObject({ start: "2026-01-01", end: "2026-12-31", label: "2026" });
    expect(reviewPeriodFor("2026-12-01", 5)).toMatchObject({ start: "2026-11-01", end: "2026-12-31" });
    expect(() => reviewPeriodFor("2026-01-01", 0)).toThrow(RangeError);
  });

  it("UAP-4.2 every day of a year lies in exactly one quarter, which contains it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.constantFrom(1, 2, 3, 4, 6, 12), (offset, interval) => {
        const today = addDays("2027-01-01", offset);
        const period = reviewPeriodFor(today, interval);
        expect(period.start <= today && today <= period.end).toBe(true);
        expect(reviewPeriodFor(period.start, interval)).toEqual(period);
        expect(reviewPeriodFor(period.end, interval)).toEqual(period);
        expect(reviewPeriodFor(addDays(period.end, 1), interval).start).toBe(addDays(period.end, 1));
      }),
    );
  });

  it("labels a period that spans years with both years", () => {
    expect(periodLabel("2026-11-01", "2027-01-31")).toBe("November 2026 to January 2027");
  });
});

describe("calendar arithmetic", () => {
  it("adds days and months, keeping to the end of a short month", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-05-05", -12)).toBe("2025-05-05");
    expect(daysBetween("2026-06-16", "2026-06-30")).toBe(14);
    expect(daysBetween("2026-07-01", "2026-06-30")).toBe(-1);
  });
});

describe("reminders before the due date", () => {
  const days = [14, 7];
  it.each([
    ["2026-06-15", null, null], // 15 days out: nothing yet
    ["2026-06-16", null, 14], // 14 days out
    ["2026-06-17", 14, null], // already reminded at 14
    ["2026-06-23", 14, 7], // 7 days out
    ["2026-06-24", 7, null],
    ["2026-06-30", 7, null], // the due day itself
    ["2026-06-25", null, 7], // the 14-day reminder was missed: one reminder, the nearer one
    ["2026-07-01", null, null], // overdue: escalated instead
  ])("UAP-4.2 on %s (last sent %s days before) the reminder due is %s", (today, lastSent, expected) => {
    expect(reminderDue("2026-06-30", today, days, lastSent)).toBe(expected);
  });

  it("UAP-4.2 the thresholds may come in any order, and none configured means no reminders", () => {
    expect(reminderDue("2026-06-30", "2026-06-23", [7, 14], 14)).toBe(7);
    expect(reminderDue("2026-06-30", "2026-06-23", [], null)).toBeNull();
  });

  it("UAP-4.2 each threshold is sent at most once whatever days the job runs on", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -5, max: 40 }), { minLength: 1, maxLength: 30 }), (offsets) => {
        const runs = [...offsets].sort((a, b) => b - a); // days before the due date, in time order
        let last: number | null = null;
        const sent: number[] = [];
        for (const daysBefore of runs) {
          const due = reminderDue("2026-06-30", addDays("2026-06-30", -daysBefore), days, last);
          if (due !== null) {
            sent.push(due);
            last = due;
          }
        }
        expect(new Set(sent).size).toBe(sent.length);
        expect(sent.every((d) => days.includes(d))).toBe(true);
      }),
    );
  });
});

describe("a review's standing", () => {
  const review = { dueOn: "2026-06-30", signedOffAt: null };
  it.each([
    ["2026-05-05", "open"],
    ["2026-06-16", "due_soon"],
    ["2026-06-30", "due_soon"],
    ["2026-07-01", "overdue"],
  ])("UAP-4.2 on %s a review due 30 June and not signed off is %s", (today, standing) => {
    expect(reviewStanding(review, today, [14, 7])).toBe(standing);
    expect(isOverdue(review, today)).toBe(standing === "overdue");
  });

  it("UAP-4.2 a signed-off review is never overdue", () => {
    const signed = { dueOn: "2026-06-30", signedOffAt: new Date("2026-07-03T10:00:00Z") };
    expect(reviewStanding(signed, "2026-08-01", [14, 7])).toBe("signed_off");
    expect(isOverdue(signed, "2026-08-01")).toBe(false);
  });

  it("UAP-4.2 sign-off needs a decision on every account", () => {
    expect(canSignOff({ total: 6, decided: 5 })).toBe(false);
    expect(canSignOff({ total: 6, decided: 6 })).toBe(true);
    expect(canSignOff({ total: 0, decided: 0 })).toBe(true);
  });
});

describe("the decisions offered for an account", () => {
  it("UAP-4.2 an active or pending account can be kept, changed or suspended", () => {
    expect(decisionsFor({ status: "active", roleKeys: ["finance"] }, "lead_correspondent")).toEqual(["keep", "change_role", "suspend"]);
    expect(decisionsFor({ status: "pending", roleKeys: [] }, "lead_correspondent")).toEqual(["keep", "change_role", "suspend"]);
  });

  it("UAP-4.2 UAP-A.3 a suspended account and the Lead correspondent's own can only be kept", () => {
    expect(decisionsFor({ status: "suspended", roleKeys: ["read_only"] }, "lead_correspondent")).toEqual(["keep"]);
    expect(decisionsFor({ status: "active", roleKeys: ["lead_correspondent"] }, "lead_correspondent")).toEqual(["keep"]);
  });
});

describe("the decision input", () => {
  const parse = (input: Record<string, unknown>) => reviewDecisionInputSchema.safeParse(input);
  const errors = (input: Record<string, unknown>) => {
    const result = parse(input);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it.each([
    [{}, { decision: "Select keep, change role or suspend" }],
    [{ decision: "delete" }, { decision: "Select keep, change role or suspend" }],
    [{ decision: "change_role" }, { roleKeys: "Select the new security role" }],
    [{ decision: "suspend" }, { reason: "Select why the account should be suspended" }],
    [{ decision: "suspend", reason: "other", reasonDetail: " " }, { reasonDetail: "Enter why the account should be suspended" }],
  ])("UAP-4.2 %j is refused with %j", (input, expected) => {
    expect(errors(input)).toEqual(expected);
  });

  it("UAP-4.2 reads keep, a change of role (one ticked box or several) and a suspension", () => {
    expect(parse({ decision: "keep", roleKeys: ["x"] }).data).toEqual({ decision: "keep" });
    expect(parse({ decision: "change_role", roleKeys: "finance" }).data).toEqual({ decision: "change_role", roleKeys: ["finance"], registrationBody: null, registrationNumber: null });
    expect(parse({ decision: "change_role", roleKeys: ["finance", "finance", "read_only"] }).data).toMatchObject({ roleKeys: ["finance", "read_only"] });
    expect(parse({ decision: "suspend", reason: "leaver" }).data).toEqual({ decision: "suspend", reason: "leaver", reasonDetail: null });
  });
});

describe("the operator's report findings (UAP-4.3a)", () => {
  it("UAP-4.3a CC-7f training older than the validity, or not recorded, has expired", () => {
    expect(trainingCutoff("2026-05-05", 12)).toBe("2025-05-05");
    expect(trainingExpired("2025-05-05", "2026-05-05", 12)).toBe(false);
    expect(trainingExpired("2025-05-04", "2026-05-05", 12)).toBe(true);
    expect(trainingExpired(null, "2026-05-05", 12)).toBe(true);
  });

  it("UAP-4.3a CC-7c an end date has passed the day after it", () => {
    expect(endDatePassed("2026-05-04", "2026-05-05")).toBe(true);
    expect(endDatePassed("2026-05-05", "2026-05-05")).toBe(false);
    expect(endDatePassed(null, "2026-05-05")).toBe(false);
  });

  it("UAP-4.3a no sign-in for 30 days counts from activation (or creation) when never signed in", () => {
    const now = new Date("2026-05-05T09:00:00Z");
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    expect(idleForReport({ lastSignInAt: daysAgo(31), activatedAt: daysAgo(100), createdAt: daysAgo(100) }, now)).toBe(true);
    expect(idleForReport({ lastSignInAt: daysAgo(30), activatedAt: daysAgo(100), createdAt: daysAgo(100) }, now)).toBe(false);
    expect(idleForReport({ lastSignInAt: null, activatedAt: daysAgo(10), createdAt: daysAgo(100) }, now)).toBe(false);
    expect(idleForReport({ lastSignInAt: null, activatedAt: null, createdAt: daysAgo(45) }, now)).toBe(true);
  });
});

describe("the report as CSV", () => {
  it("UAP-A.9 has a header row, one row per organisation, and escapes formulas in names", () => {
    const person = { accountId: "a", fullName: "=HYPERLINK(\"x\")", email: "eve@example.org", status: "active" as const, lastSignInAt: null, igTrainingDate: null, endDate: null };
    const report: QuarterlyReport = {
      generatedAt: new Date("2026-05-05T09:00:00Z"),
      today: "2026-05-05",
      period: reviewPeriodFor("2026-05-05", 3),
      idleDays: 30,
      trainingValidityMonths: 12,
      trainingCutoff: "2025-05-05",
      overdue: 0,
      organisations: [
        { organisationId: "o", name: "Meadowbank Care Ltd", odsCode: "AB1C2", status: "active", openAccounts: 1, idle: [person], noRole: [], trainingExpired: [person], endDatePassed: [], lastReview: null },
      ],
    };
    const csv = reviewReportCsv(report);
    expect(csv.startsWith("\uFEFFOrganisation,ODS code,")).toBe(true);
    const lines = csv.slice(1).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Meadowbank Care Ltd,AB1C2,active,1,1,");
    expect(lines[1]).toContain("'=HYPERLINK");
    expect(lines[1]).toContain("No review yet");
  });
});
