import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getISODay, parseISO } from "date-fns";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  BankHolidayFormatError,
  bankHolidayDates,
  bankHolidayDivisions,
  bankHolidaysKnownUntil,
  formatBankHolidayFile,
  loadBankHolidays,
  parseGovUkBankHolidays,
  resetBankHolidaysCache,
  shippedBankHolidays,
  type BankHolidayEvent,
  type BankHolidayList,
} from "../../../lib/calendar/bank-holidays";
import { mergeBankHolidays } from "../../../lib/calendar/merge-bank-holidays";
import { updateBankHolidays } from "../../../lib/calendar/update-bank-holidays";

const shippedDir = fileURLToPath(new URL("../../../lib/calendar/bank-holidays/", import.meta.url));
const tmpRoot = fileURLToPath(new URL(`../../.tmp/unit-calendar-${process.pid}-${randomBytes(3).toString("hex")}/`, import.meta.url));
afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true });
});
afterEach(() => resetBankHolidaysCache());
const tmpDir = async (name: string) => {
  const dir = path.join(tmpRoot, name);
  await mkdir(path.dirname(dir), { recursive: true });
  return dir;
};

const event = (date: string, title: string, notes = "", bunting = true): BankHolidayEvent => ({ title, date, notes, bunting });
/** England and Wales 2029, in GOV.UK's words, as a file published later would list them (a fixture). */
const englandAndWales2029 = [
  event("2029-01-01", "New Year’s Day"),
  event("2029-03-30", "Good Friday", "", false),
  event("2029-04-02", "Easter Monday"),
  event("2029-05-07", "Early May bank holiday"),
  event("2029-05-28", "Spring bank holiday"),
  event("2029-08-27", "Summer bank holiday"),
  event("2029-12-25", "Christmas Day"),
  event("2029-12-26", "Boxing Day"),
];
/** GOV.UK's whole file: every division keyed by its name, as https://www.gov.uk/bank-holidays.json serves it. */
const govUkFile = (extra: BankHolidayEvent[] = englandAndWales2029) => ({
  "england-and-wales": { division: "england-and-wales", events: [...shippedBankHolidays("england-and-wales").events, ...extra] },
  scotland: shippedBankHolidays("scotland"),
  "northern-ireland": shippedBankHolidays("northern-ireland"),
});

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), as YYYY-MM-DD. */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}
const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
const years = (list: BankHolidayList) => [...new Set(list.events.map((e) => Number(e.date.slice(0, 4))))];

describe("the shipped bank holidays", () => {
  it.each(bankHolidayDivisions)("UCP-HD-1 %s: GOV.UK's format, its own division, sorted, no date twice", (division) => {
    const list = loadBankHolidays(division);
    expect(list.division).toBe(division);
    const dates = list.events.map((e) => e.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(bankHolidayDates(division).size).toBe(dates.length);
  });

  it.each([
    ["england-and-wales", 8],
    ["scotland", 9],
    ["northern-ireland", 10],
  ] as const)("UCP-HD-1 %s has its %i bank holidays in every year it covers", (division, perYear) => {
    const list = loadBankHolidays(division);
    for (const year of years(list)) {
      expect(list.events.filter((e) => e.date.startsWith(`${year}-`)).length, `${division} ${year}`).toBe(perYear);
    }
    expect(years(list)).toEqual([2024, 2025, 2026, 2027, 2028]);
  });

  it.each(bankHolidayDivisions)("UCP-HD-1 %s: every bank holiday is a weekday (GOV.UK lists substitute days)", (division) => {
    for (const { date } of loadBankHolidays(division).events) expect(getISODay(parseISO(date)), date).toBeLessThanOrEqual(5);
  });

  it("UCP-HD-1 England and Wales: Good Friday and Easter Monday match Easter for every year listed", () => {
    const list = loadBankHolidays("england-and-wales");
    for (const year of years(list)) {
      const easter = easterSunday(year);
      const titleOf = (date: string) => list.events.find((e) => e.date === date)?.title;
      expect(titleOf(plusDays(easter, -2)), `${year}`).toBe("Good Friday");
      expect(titleOf(plusDays(easter, 1)), `${year}`).toBe("Easter Monday");
    }
    expect(easterSunday(2027).toISOString().slice(0, 10)).toBe("2027-03-28");
  });

  it("UCP-HD-1 England and Wales at Christmas 2026 and 2027, with substitute days", () => {
    const dates = bankHolidayDates("england-and-wales");
    for (const date of ["2026-12-25", "2026-12-28", "2027-01-01", "2027-12-27", "2027-12-28", "2028-01-03"]) expect(dates.has(date), date).toBe(true);
    for (const date of ["2026-12-24", "2026-12-26", "2026-12-29", "2027-12-25"]) expect(dates.has(date), date).toBe(false);
  });

  it("UCP-HD-1 the divisions differ where the law does", () => {
    const [ew, sc, ni] = bankHolidayDivisions.map((d) => bankHolidayDates(d));
    expect(sc?.has("2027-01-04")).toBe(true); // 2nd January (substitute), Scotland only
    expect(ew?.has("2027-01-04")).toBe(false);
    expect(ni?.has("2027-03-17")).toBe(true); // St Patrick's Day
    expect(ew?.has("2027-03-17")).toBe(false);
    expect(sc?.has("2027-03-29")).toBe(false); // no Easter Monday in Scotland
    expect(sc?.has("2026-08-03") && ew?.has("2026-08-31")).toBe(true); // summer bank holidays
  });

  it("knows how far ahead the lists reach", () => {
    for (const division of bankHolidayDivisions) expect(bankHolidaysKnownUntil(division)).toBe("2028-12-26");
  });

  it.each(bankHolidayDivisions)("formatBankHolidayFile writes %s exactly as it is shipped", (division) => {
    expect(formatBankHolidayFile(shippedBankHolidays(division))).toBe(readFileSync(path.join(shippedDir, `${division}.json`), "utf8"));
  });
});

describe("parseGovUkBankHolidays", () => {
  it("reads GOV.UK's whole file: every division, keyed by name", () => {
    const lists = parseGovUkBankHolidays(govUkFile());
    expect(lists.map((l) => l.division)).toEqual(["england-and-wales", "scotland", "northern-ireland"]);
    expect(lists[0]?.events.at(-1)).toEqual(event("2029-12-26", "Boxing Day"));
  });

  it("reads the JSON text, and one division's object on its own", () => {
    expect(parseGovUkBankHolidays(JSON.stringify(govUkFile()))).toHaveLength(3);
    const [only] = parseGovUkBankHolidays({ division: "scotland", events: [{ title: "St Andrew’s Day", date: "2029-11-30" }] });
    expect(only).toEqual({ division: "scotland", events: [event("2029-11-30", "St Andrew’s Day", "", false)] });
  });

  it("sorts the events by date", () => {
    const [list] = parseGovUkBankHolidays({ division: "england-and-wales", events: [...englandAndWales2029].reverse() });
    expect(list?.events.map((e) => e.date)).toEqual(englandAndWales2029.map((e) => e.date));
  });

  const good = { title: "Christmas Day", date: "2029-12-25", notes: "", bunting: true };
  it.each([
    ["text that is not JSON", "{ not json", /is not JSON/],
    ["an array", [], /\(file\)/],
    ["an object naming no division", {}, /names none of the divisions/],
    ["a date that is not on the calendar", { "england-and-wales": { division: "england-and-wales", events: [{ ...good, date: "2029-02-30" }] } }, /england-and-wales\.events\.0\.date is not a day of the calendar/],
    ["a date not written YYYY-MM-DD", { division: "england-and-wales", events: [{ ...good, date: "25/12/2029" }] }, /events\.0\.date must be a date written YYYY-MM-DD/],
    ["an event without a title", { division: "england-and-wales", events: [{ date: "2029-12-25" }] }, /events\.0\.title/],
    ["bunting that is not true or false", { division: "england-and-wales", events: [{ ...good, bunting: "yes" }] }, /events\.0\.bunting/],
    ["a division GOV.UK does not publish", { division: "wales", events: [] }, /division/],
    ["a division filed under another's name", { scotland: { division: "england-and-wales", events: [] } }, /"scotland" entry says it is the "england-and-wales" division/],
    ["the same date twice", { division: "england-and-wales", events: [good, good] }, /events\.1\.date repeats the date 2029-12-25/],
  ])("refuses %s, naming the field", (_what, input, message) => {
    expect(() => parseGovUkBankHolidays(input)).toThrow(BankHolidayFormatError);
    expect(() => parseGovUkBankHolidays(input)).toThrow(message);
  });
});

describe("mergeBankHolidays", () => {
  const current = shippedBankHolidays("england-and-wales");

  it("adds a new year's dates and keeps every earlier one", () => {
    const merge = mergeBankHolidays(current, { division: "england-and-wales", events: englandAndWales2029 });
    expect(merge.added.map((e) => e.date)).toEqual(englandAndWales2029.map((e) => e.date));
    expect(merge.removed).toEqual([]);
    expect(merge.changed).toEqual([]);
    expect(merge.years).toEqual({ from: 2029, to: 2029 });
    expect(merge.list.events).toEqual([...current.events, ...englandAndWales2029]);
  });

  it("keeps years the newer file no longer reaches back to (old requests' clocks do not move)", () => {
    const newer = { division: "england-and-wales" as const, events: [...current.events.filter((e) => e.date >= "2026"), ...englandAndWales2029] };
    const merge = mergeBankHolidays(current, newer);
    expect(merge.added).toHaveLength(8);
    expect(merge.removed).toEqual([]);
    expect(merge.list.events.filter((e) => e.date < "2026")).toEqual(current.events.filter((e) => e.date < "2026"));
  });

  it("removes a date the newer file moved, within the years it covers (the 2020 early May bank holiday moved to VE Day)", () => {
    const old = { division: "england-and-wales" as const, events: [event("2020-01-01", "New Year’s Day"), event("2020-05-04", "Early May bank holiday")] };
    const moved = { division: "england-and-wales" as const, events: [event("2020-01-01", "New Year’s Day"), event("2020-05-08", "Early May bank holiday (VE day)")] };
    const merge = mergeBankHolidays(old, moved);
    expect(merge.added.map((e) => e.date)).toEqual(["2020-05-08"]);
    expect(merge.removed.map((e) => e.date)).toEqual(["2020-05-04"]);
    expect(merge.list.events.map((e) => e.date)).toEqual(["2020-01-01", "2020-05-08"]);
  });

  it("takes the newer title, notes and bunting for a date both have", () => {
    const renamed = { division: "england-and-wales" as const, events: [event("2028-12-26", "Boxing Day", "Observed", false)] };
    const merge = mergeBankHolidays(current, renamed);
    expect(merge.changed.map((e) => e.date)).toEqual(["2028-12-26"]);
    expect(merge.added).toEqual([]);
    expect(merge.list.events.find((e) => e.date === "2028-12-26")).toEqual(renamed.events[0]);
    // Only 2028 was decided by the newer list, so the rest of 2028 is removed; earlier years stay.
    expect(merge.removed.map((e) => e.date)).toEqual(current.events.filter((e) => e.date.startsWith("2028-") && e.date !== "2028-12-26").map((e) => e.date));
  });

  it("changes nothing when merged with itself or with an empty list", () => {
    const same = mergeBankHolidays(current, current);
    expect([same.added, same.removed, same.changed]).toEqual([[], [], []]);
    expect(same.list).toEqual(current);
    const empty = mergeBankHolidays(current, { division: "england-and-wales", events: [] });
    expect(empty.list).toEqual(current);
    expect(empty.years).toBeNull();
  });

  it("refuses to merge one division into another", () => {
    expect(() => mergeBankHolidays(current, shippedBankHolidays("scotland"))).toThrow(/cannot merge the "scotland" bank holidays/);
  });
});

describe("updateBankHolidays and the updated-lists folder", () => {
  it("writes each division merged, says how many dates were added, and is idempotent", async () => {
    const dir = await tmpDir("update");
    const first = await updateBankHolidays({ source: JSON.stringify(govUkFile()), dir });
    expect(first.divisions.map((d) => [d.division, d.added, d.removed, d.written])).toEqual([
      ["england-and-wales", 8, 0, true],
      ["scotland", 0, 0, true],
      ["northern-ireland", 0, 0, true],
    ]);
    expect(first.divisions[0]).toMatchObject({ total: 48, knownUntil: "2029-12-26", addedDates: englandAndWales2029.map((e) => e.date) });
    const written = await readFile(path.join(dir, "england-and-wales.json"), "utf8");
    expect(written).toBe(formatBankHolidayFile({ division: "england-and-wales", events: [...shippedBankHolidays("england-and-wales").events, ...englandAndWales2029] }));
    expect(await readFile(path.join(dir, "scotland.json"), "utf8")).toBe(readFileSync(path.join(shippedDir, "scotland.json"), "utf8"));

    const again = await updateBankHolidays({ source: govUkFile(), dir });
    expect(again.divisions.map((d) => [d.added, d.removed, d.changed, d.written])).toEqual([
      [0, 0, 0, false],
      [0, 0, 0, false],
      [0, 0, 0, false],
    ]);
  });

  it("keeps what an earlier update added when a later file covers fewer years", async () => {
    const dir = await tmpDir("later");
    await updateBankHolidays({ source: { division: "england-and-wales", events: englandAndWales2029 }, dir });
    const later = await updateBankHolidays({ source: { division: "england-and-wales", events: [event("2030-01-01", "New Year’s Day")] }, dir });
    expect(later.divisions).toHaveLength(1);
    expect(later.divisions[0]).toMatchObject({ added: 1, removed: 0, total: 49, knownUntil: "2030-01-01" });
  });

  it("writes nothing on a dry run", async () => {
    const dir = await tmpDir("dry-run");
    const result = await updateBankHolidays({ source: govUkFile(), dir, dryRun: true });
    expect(result.divisions[0]).toMatchObject({ added: 8, written: false });
    expect(existsSync(dir)).toBe(false);
  });

  it("writes nothing when the file is not in GOV.UK's format", async () => {
    const dir = await tmpDir("bad");
    const bad = { ...govUkFile(), scotland: { division: "scotland", events: [{ title: "x", date: "2029-13-01" }] } };
    await expect(updateBankHolidays({ source: bad, dir })).rejects.toThrow(/scotland\.events\.0\.date/);
    expect(existsSync(dir)).toBe(false);
  });

  it("UCP-HD-1 the portal reads the updated folder (PORTAL_BANK_HOLIDAYS_DIR) over the shipped lists, and re-reads it when it changes", async () => {
    const dir = await tmpDir("override");
    const env = { PORTAL_BANK_HOLIDAYS_DIR: dir };
    // No file yet: the shipped list.
    expect(bankHolidaysKnownUntil("england-and-wales", { env })).toBe("2028-12-26");
    await updateBankHolidays({ source: { division: "england-and-wales", events: englandAndWales2029.slice(0, 4) }, dir });
    expect(bankHolidaysKnownUntil("england-and-wales", { env })).toBe("2029-05-07");
    await updateBankHolidays({ source: { division: "england-and-wales", events: englandAndWales2029 }, dir });
    expect(bankHolidaysKnownUntil("england-and-wales", { env })).toBe("2029-12-26");
    expect(bankHolidayDates("england-and-wales", { env }).has("2029-12-25")).toBe(true);
    // The other divisions, and the portal without the variable, keep the shipped lists.
    expect(bankHolidaysKnownUntil("scotland", { env })).toBe("2028-12-26");
    expect(bankHolidayDates("england-and-wales", { env: {} }).has("2029-12-25")).toBe(false);
  });

  it("fails loudly, naming the file, when the updated folder holds a broken list", async () => {
    const dir = await tmpDir("broken");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "england-and-wales.json"), '{"division":"england-and-wales","events":[{"title":"x","date":"soon"}]}');
    expect(() => loadBankHolidays("england-and-wales", { env: { PORTAL_BANK_HOLIDAYS_DIR: dir } })).toThrow(/england-and-wales\.json: .*events\.0\.date/);
  });
});
