import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bankHolidayDates } from "../../../lib/calendar/bank-holidays";
import { slaDueTime } from "../../../lib/calendar/sla-due-time";
import {
  addWorkingDays,
  isWorkingDay,
  serviceClockStart,
  serviceDayMinutes,
  slaState,
  workingTimeBetween,
  type ServiceHours,
} from "../../../lib/calendar/working-time";
import { ConfigError, mergeConfig, validateConfig, type PortalConfigInput } from "../../../lib/config";
import { councilProfile } from "../../../lib/config/profiles/council";
import { profiles } from "../../../lib/config/profiles";

/*
 * Expected instants are written as ISO strings with their UTC offset (Z in winter, +01:00 in
 * summer), worked out by hand from the calendar, so the tests do not share the code's time
 * zone arithmetic. Service hours: Monday–Friday 09:00–17:00 Europe/London (the profiles' own).
 */
const config = validateConfig(councilProfile);
const hours: ServiceHours = config.requests.serviceHours;
const englandAndWales = bankHolidayDates("england-and-wales");
const at = (iso: string) => new Date(iso);
const due = (receivedAt: string, days = 5, holidays = englandAndWales) => addWorkingDays(at(receivedAt), days, hours, holidays).toISOString();
const iso = (value: string) => at(value).toISOString();

describe("the service day", () => {
  it("UCP-HD-1 service hours are Monday–Friday 09:00–17:00 Europe/London in every shipped profile", () => {
    for (const [name, profile] of Object.entries(profiles)) {
      const requests = validateConfig(profile).requests;
      expect(requests.serviceHours, name).toEqual({ timeZone: "Europe/London", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" });
      expect(serviceDayMinutes(requests.serviceHours), name).toBe(480);
    }
  });

  it.each([
    ["2026-06-12", true, "an ordinary Friday"],
    ["2026-06-13", false, "a Saturday"],
    ["2026-06-14", false, "a Sunday"],
    ["2026-12-25", false, "Christmas Day"],
    ["2026-12-28", false, "Boxing Day's substitute Monday"],
    ["2026-12-29", true, "the Tuesday after Christmas 2026"],
    ["2027-03-26", false, "Good Friday 2027"],
    ["2027-03-29", false, "Easter Monday 2027"],
    ["2027-03-30", true, "the Tuesday after Easter 2027"],
  ])("UCP-HD-1 %s is a working day: %s (%s)", (day, expected) => {
    expect(isWorkingDay(day, hours, englandAndWales)).toBe(expected);
  });

  it("UCP-HD-1 reads an instant's day in London, not in UTC", () => {
    // 23:30 UTC on Friday 12 June 2026 is already 00:30 on Saturday in London (BST).
    expect(isWorkingDay(at("2026-06-12T23:30:00Z"), hours, englandAndWales)).toBe(false);
    // 23:30 UTC on Sunday 25 October 2026 is 23:30 on Sunday in London (GMT again).
    expect(isWorkingDay(at("2026-10-25T23:30:00Z"), hours, englandAndWales)).toBe(false);
    expect(isWorkingDay(at("2026-10-25T23:30:00-01:00"), hours, englandAndWales)).toBe(true);
  });

  it("refuses a day that is not on the calendar", () => {
    expect(() => isWorkingDay("2026-02-30", hours, englandAndWales)).toThrow(RangeError);
    expect(() => isWorkingDay("30/12/2026", hours, englandAndWales)).toThrow(RangeError);
  });
});

describe("addWorkingDays: the SLA due time", () => {
  it.each([
    // [what, received, working days, due]
    ["a request on Tuesday 10:30 is due the next Tuesday 10:30", "2026-06-09T10:30:00+01:00", 5, "2026-06-16T10:30:00+01:00"],
    ["a request at 09:00 on Monday is due at 17:00 on Friday, not 09:00 the next Monday", "2026-06-08T09:00:00+01:00", 5, "2026-06-12T17:00:00+01:00"],
    ["a request on Friday 16:30 before Christmas 2026 skips Christmas Day and Boxing Day's substitute Monday", "2026-12-18T16:30:00Z", 5, "2026-12-29T16:30:00Z"],
    ["a request received on Saturday starts the clock on Monday 09:00", "2026-06-13T11:00:00+01:00", 5, "2026-06-19T17:00:00+01:00"],
    ["a request received on Sunday evening counts the same as one on Saturday", "2026-06-14T22:45:00+01:00", 5, "2026-06-19T17:00:00+01:00"],
    ["a request received before 09:00 starts the clock at 09:00 that day", "2026-06-10T07:45:00+01:00", 5, "2026-06-16T17:00:00+01:00"],
    ["a request received after 17:00 starts the clock at 09:00 the next working day", "2026-06-10T17:30:00+01:00", 5, "2026-06-17T17:00:00+01:00"],
    ["a request received at exactly 17:00 starts the clock the next working day", "2026-06-10T17:00:00+01:00", 5, "2026-06-17T17:00:00+01:00"],
    ["across the change from BST to GMT (25 October 2026) the due time keeps its wall-clock time", "2026-10-22T14:00:00+01:00", 5, "2026-10-29T14:00:00Z"],
    ["one working day from Friday afternoon in BST ends on Monday afternoon in GMT", "2026-10-23T16:00:00+01:00", 1, "2026-10-26T16:00:00Z"],
    ["Easter 2027 (Good Friday, Easter Monday and the change to BST) is skipped", "2027-03-25T11:00:00Z", 5, "2027-04-05T11:00:00+01:00"],
    ["a request received on Easter Monday 2027 starts the clock on Tuesday", "2027-03-29T10:00:00+01:00", 5, "2027-04-05T17:00:00+01:00"],
    ["Christmas 2027 falls on a weekend: both substitute days and New Year's substitute are skipped", "2027-12-24T10:00:00Z", 5, "2028-01-05T10:00:00Z"],
    ["New Year's Day 2027 is skipped", "2026-12-30T12:00:00Z", 5, "2027-01-07T12:00:00Z"],
    ["half a working day is four hours of service time", "2026-06-09T15:00:00+01:00", 0.5, "2026-06-10T11:00:00+01:00"],
    ["ten working days span two weekends", "2026-06-09T10:30:00+01:00", 10, "2026-06-23T10:30:00+01:00"],
  ])("CC-5 UCP-HD-1 %s", (_what, receivedAt, days, expected) => {
    expect(due(receivedAt, days)).toBe(iso(expected));
  });

  it("CC-5 zero working days is when the clock starts", () => {
    expect(serviceClockStart(at("2026-12-24T17:30:00Z"), hours, englandAndWales).toISOString()).toBe(iso("2026-12-29T09:00:00Z"));
    expect(serviceClockStart(at("2026-06-10T12:00:00+01:00"), hours, englandAndWales).toISOString()).toBe(iso("2026-06-10T12:00:00+01:00"));
    expect(due("2026-06-13T11:00:00+01:00", 0)).toBe(iso("2026-06-15T09:00:00+01:00"));
  });

  it("takes the service hours from configuration", () => {
    const early: ServiceHours = { timeZone: "Europe/London", days: [1, 2, 3, 4, 5, 6], start: "08:00", end: "12:00" };
    expect(serviceDayMinutes(early)).toBe(240);
    // Saturday is a service day here: Friday 11:00 + 1 day = 1 h Friday + 3 h Saturday.
    expect(addWorkingDays(at("2026-06-12T11:00:00+01:00"), 1, early, englandAndWales).toISOString()).toBe(iso("2026-06-13T11:00:00+01:00"));
    const newYork: ServiceHours = { timeZone: "America/New_York", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
    expect(addWorkingDays(at("2026-06-12T16:00:00-04:00"), 1, newYork, new Set()).toISOString()).toBe(iso("2026-06-15T16:00:00-04:00"));
  });

  it("refuses a negative or unusable number of days, and an invalid instant", () => {
    expect(() => addWorkingDays(at("2026-06-09T10:00:00Z"), -1, hours, englandAndWales)).toThrow(RangeError);
    expect(() => addWorkingDays(at("2026-06-09T10:00:00Z"), Number.NaN, hours, englandAndWales)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(Number.NaN), 5, hours, englandAndWales)).toThrow(/not a valid instant/);
  });

  it("gives up, rather than looping, when no day is ever a service day", () => {
    const everyDay = new Set<string>();
    for (let d = new Date(Date.UTC(2026, 0, 1)); d.getUTCFullYear() < 2037; d.setUTCDate(d.getUTCDate() + 1)) everyDay.add(d.toISOString().slice(0, 10));
    expect(() => addWorkingDays(at("2026-06-09T10:00:00Z"), 1, hours, everyDay)).toThrow(/no working day/);
  });
});

describe("workingTimeBetween: service time elapsed and remaining", () => {
  it.each([
    ["within one day", "2026-06-08T10:00:00+01:00", "2026-06-08T15:30:00+01:00", 330],
    ["over a weekend: Friday 16:00 to Monday 10:00", "2026-06-12T16:00:00+01:00", "2026-06-15T10:00:00+01:00", 120],
    ["from Saturday to Sunday", "2026-06-13T09:00:00+01:00", "2026-06-14T18:00:00+01:00", 0],
    ["from before opening to after closing", "2026-06-08T06:00:00+01:00", "2026-06-08T20:00:00+01:00", 480],
    ["over Christmas 2026: Thursday 24th 16:00 to Tuesday 29th 10:00", "2026-12-24T16:00:00Z", "2026-12-29T10:00:00Z", 120],
    ["across the change to GMT: Friday 16:00 BST to Monday 10:00 GMT", "2026-10-23T16:00:00+01:00", "2026-10-26T10:00:00Z", 120],
    ["over Easter 2027: Thursday 16:00 GMT to Tuesday 10:00 BST", "2027-03-25T16:00:00Z", "2027-03-30T10:00:00+01:00", 120],
    ["a whole SLA: five working days", "2026-12-18T16:30:00Z", "2026-12-29T16:30:00Z", 2400],
    ["the same instant", "2026-06-08T10:00:00+01:00", "2026-06-08T10:00:00+01:00", 0],
  ])("CC-5 UCP-HD-1 counts only service hours %s", (_what, from, to, minutes) => {
    expect(workingTimeBetween(at(from), at(to), hours, englandAndWales)).toBe(minutes);
  });

  it("CC-5 is negative when the second instant is earlier (how long overdue)", () => {
    expect(workingTimeBetween(at("2026-06-15T10:00:00+01:00"), at("2026-06-12T16:00:00+01:00"), hours, englandAndWales)).toBe(-120);
  });

  it("truncates to whole minutes", () => {
    expect(workingTimeBetween(at("2026-06-08T10:00:00+01:00"), at("2026-06-08T10:01:59+01:00"), hours, englandAndWales)).toBe(1);
  });

  // Minute-aligned instants from 2026 to 2028 (the shipped bank holidays cover them).
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2028, 10, 1) / 60_000 }).map((m) => new Date(m * 60_000));

  it("CC-5 the due time is always exactly the SLA's service time after receipt", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 15 }), (receivedAt, days) => {
        const dueAt = addWorkingDays(receivedAt, days, hours, englandAndWales);
        expect(workingTimeBetween(receivedAt, dueAt, hours, englandAndWales)).toBe(days * 480);
        expect(dueAt.getTime()).toBeGreaterThanOrEqual(receivedAt.getTime());
        if (days > 0) expect(isWorkingDay(dueAt, hours, englandAndWales)).toBe(true);
      }),
    );
  });

  it("CC-5 elapsed and remaining service time add up to the SLA at every moment", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 * 24 * 60 }), (receivedAt, minutesLater) => {
        const dueAt = addWorkingDays(receivedAt, 5, hours, englandAndWales);
        const now = new Date(receivedAt.getTime() + minutesLater * 60_000);
        const elapsed = workingTimeBetween(receivedAt, now, hours, englandAndWales);
        const remaining = workingTimeBetween(now, dueAt, hours, englandAndWales);
        expect(elapsed + remaining).toBe(2400);
        expect(elapsed).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("slaState", () => {
  const dueAt = at("2026-12-29T16:30:00Z");
  it.each([
    ["on_track", "2026-12-24T12:00:00Z"],
    ["due_today", "2026-12-29T00:05:00Z"],
    ["due_today", "2026-12-29T16:30:00Z"],
    ["overdue", "2026-12-29T16:30:01Z"],
    ["overdue", "2027-01-04T09:00:00Z"],
  ])("CC-5 is %s at %s", (state, now) => {
    expect(slaState(dueAt, at(now))).toBe(state);
  });

  it("CC-5 reads 'today' in London: 23:30 UTC the evening before a BST due date is already that day", () => {
    expect(slaState(at("2026-06-16T16:00:00Z"), at("2026-06-15T23:30:00Z"))).toBe("due_today");
    expect(slaState(at("2026-06-16T16:00:00Z"), at("2026-06-15T23:30:00Z"), "UTC")).toBe("on_track");
  });
});

describe("slaDueTime: the SLA from deployment configuration", () => {
  // Objects in an override merge into the profile, as a deployment's PORTAL_CONFIG file does.
  const withRequests = (requests: Record<string, unknown>) => validateConfig(mergeConfig<PortalConfigInput>(councilProfile, { requests }));

  it("CC-5 uses the configured number of working days (5 by default)", () => {
    expect(config.requests.slaWorkingDays).toBe(5);
    const five = slaDueTime({ receivedAt: at("2026-12-18T16:30:00Z"), requests: config.requests });
    expect(five).toMatchObject({ workingDays: 5, division: "england-and-wales", timeZone: "Europe/London" });
    expect(five.dueAt.toISOString()).toBe(iso("2026-12-29T16:30:00Z"));
    expect(five.clockStartsAt.toISOString()).toBe(iso("2026-12-18T16:30:00Z"));
    const three = slaDueTime({ receivedAt: at("2026-12-18T16:30:00Z"), requests: withRequests({ slaWorkingDays: 3 }).requests });
    expect(three.dueAt.toISOString()).toBe(iso("2026-12-23T16:30:00Z"));
    expect(slaDueTime({ receivedAt: at("2026-12-18T16:30:00Z"), requests: config.requests, days: 1 }).dueAt.toISOString()).toBe(iso("2026-12-21T16:30:00Z"));
  });

  it.each([
    // [division, received, due, why]
    ["england-and-wales", "2026-12-30T12:00:00Z", "2027-01-07T12:00:00Z", "New Year's Day only"],
    ["scotland", "2026-12-30T12:00:00Z", "2027-01-08T12:00:00Z", "New Year's Day and the 2nd January substitute (Monday 4th)"],
    ["northern-ireland", "2026-12-30T12:00:00Z", "2027-01-07T12:00:00Z", "New Year's Day only"],
    ["england-and-wales", "2027-03-15T09:00:00Z", "2027-03-19T17:00:00Z", "no holiday that week"],
    ["northern-ireland", "2027-03-15T09:00:00Z", "2027-03-22T17:00:00Z", "St Patrick's Day (Wednesday 17th)"],
    ["scotland", "2027-03-25T11:00:00Z", "2027-04-02T11:00:00+01:00", "Good Friday but not Easter Monday"],
    ["northern-ireland", "2027-03-25T11:00:00Z", "2027-04-05T11:00:00+01:00", "Good Friday and Easter Monday"],
    ["scotland", "2026-07-30T10:00:00+01:00", "2026-08-07T10:00:00+01:00", "the Scottish summer bank holiday (Monday 3 August)"],
    ["england-and-wales", "2026-07-30T10:00:00+01:00", "2026-08-06T10:00:00+01:00", "no holiday: England's is on 31 August"],
  ])("CC-5 UCP-HD-1 requests.bankHolidayDivision = %s: received %s, due %s (%s)", (division, receivedAt, expected) => {
    const requests = withRequests({ bankHolidayDivision: division }).requests;
    const result = slaDueTime({ receivedAt: at(receivedAt), requests });
    expect(result.division).toBe(division);
    expect(result.dueAt.toISOString()).toBe(iso(expected));
  });

  it("refuses a division GOV.UK does not publish, naming the field", () => {
    expect(() => withRequests({ bankHolidayDivision: "wales" })).toThrow(ConfigError);
    try {
      withRequests({ bankHolidayDivision: "wales" });
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(["requests.bankHolidayDivision"]);
    }
  });

  it("says when the due time lies beyond the last bank holiday the portal knows", () => {
    const soon = slaDueTime({ receivedAt: at("2026-06-09T10:30:00+01:00"), requests: config.requests });
    expect(soon.bankHolidaysKnownUntil).toBe("2028-12-26");
    expect(soon.beyondKnownBankHolidays).toBe(false);
    const late = slaDueTime({ receivedAt: at("2029-01-02T10:30:00Z"), requests: config.requests });
    expect(late.beyondKnownBankHolidays).toBe(true);
  });
});
