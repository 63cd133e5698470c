import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Env } from "../env";
import { mergeBankHolidays } from "./merge-bank-holidays";
import englandAndWales from "./bank-holidays/england-and-wales.json";
import northernIreland from "./bank-holidays/northern-ireland.json";
import scotland from "./bank-holidays/scotland.json";

/**
 * UK bank holidays, kept in GOV.UK's own format (https://www.gov.uk/bank-holidays.json) so a
 * newer file from GOV.UK can be dropped in or parsed as it is. The service clock (UCP-HD-1,
 * CC-5) skips them.
 *
 * Two places hold them (see README.md beside this file):
 *  - shipped: bank-holidays/<division>.json, bundled into the build and committed to git;
 *  - updated: <division>.json in the folder PORTAL_BANK_HOLIDAYS_DIR names, if set, written by
 *    `portal calendar update-bank-holidays` so a running deployment can learn next year's
 *    dates without a new release. It is merged over the shipped list (newer data decides the
 *    years it covers), and re-read whenever the file changes.
 */
export const bankHolidayDivisions = ["england-and-wales", "scotland", "northern-ireland"] as const;
export type BankHolidayDivision = (typeof bankHolidayDivisions)[number];

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine(isRealDate, "is not a day of the calendar");

export const bankHolidayEventSchema = z.object({
  title: z.string().min(1),
  date: calendarDate,
  notes: z.string().default(""),
  bunting: z.boolean().default(false),
});
export type BankHolidayEvent = z.infer<typeof bankHolidayEventSchema>;

export const bankHolidayListSchema = z
  .object({
    division: z.enum(bankHolidayDivisions),
    events: z.array(bankHolidayEventSchema),
  })
  .superRefine((list, ctx) => {
    // Two events on one date means a broken file, not two holidays.
    const seen = new Set<string>();
    list.events.forEach((event, i) => {
      if (seen.has(event.date)) ctx.addIssue({ code: "custom", path: ["events", i, "date"], message: `repeats the date ${event.date}` });
      seen.add(event.date);
    });
  })
  .transform((list) => ({ ...list, events: [...list.events].sort((a, b) => a.date.localeCompare(b.date)) }));
export type BankHolidayList = z.infer<typeof bankHolidayListSchema>;

/** GOV.UK publishes all three divisions in one object keyed by division. */
const allDivisionsSchema = z.object({
  "england-and-wales": bankHolidayListSchema.optional(),
  scotland: bankHolidayListSchema.optional(),
  "northern-ireland": bankHolidayListSchema.optional(),
});

const shippedData: Record<BankHolidayDivision, unknown> = {
  "england-and-wales": englandAndWales,
  scotland,
  "northern-ireland": northernIreland,
};
const shippedCache = new Map<BankHolidayDivision, BankHolidayList>();

/** The environment variable naming the folder of updated lists. */
export const BANK_HOLIDAYS_DIR_VARIABLE = "PORTAL_BANK_HOLIDAYS_DIR";

/** The folder of updated lists (PORTAL_BANK_HOLIDAYS_DIR, resolved), or undefined when unset. */
export function bankHolidaysDirFromEnv(env: Env = process.env): string | undefined {
  const dir = env[BANK_HOLIDAYS_DIR_VARIABLE]?.trim();
  return dir ? path.resolve(dir) : undefined;
}

/** The list shipped with the code for one division, validated once (a broken file fails loudly). */
export function shippedBankHolidays(division: BankHolidayDivision): BankHolidayList {
  const cached = shippedCache.get(division);
  if (cached) return cached;
  const list = bankHolidayListSchema.parse(shippedData[division]);
  if (list.division !== division) throw new Error(`bank-holidays/${division}.json holds the "${list.division}" division`);
  shippedCache.set(division, list);
  return list;
}

/**
 * Reads one division's file (the shipped layout, or GOV.UK's whole file), or undefined when
 * there is no such file. Throws a BankHolidayFormatError naming the file when it is not valid.
 */
export function readBankHolidayFile(file: string, division: BankHolidayDivision): BankHolidayList | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let lists: BankHolidayList[];
  try {
    lists = parseGovUkBankHolidays(text);
  } catch (error) {
    if (error instanceof BankHolidayFormatError) throw new BankHolidayFormatError(`${file}: ${error.message}`);
    throw error;
  }
  const list = lists.find((l) => l.division === division);
  if (!list) throw new BankHolidayFormatError(`${file} does not hold the "${division}" division.`);
  return list;
}

interface Loaded {
  /** The updated file's modification time and size when it was read ("" when none). */
  stamp: string;
  list: BankHolidayList;
  dates: ReadonlySet<string>;
}
const loadedCache = new Map<string, Loaded>();

/**
 * The bank holidays the portal uses for one division: the shipped list, merged with the
 * updated one in PORTAL_BANK_HOLIDAYS_DIR when that folder holds a file for the division.
 */
export function loadBankHolidays(division: BankHolidayDivision, options: { env?: Env } = {}): BankHolidayList {
  return loaded(division, options.env).list;
}

/** The division's bank holidays as YYYY-MM-DD dates, the form the service clock takes. */
export function bankHolidayDates(division: BankHolidayDivision, options: { env?: Env } = {}): ReadonlySet<string> {
  return loaded(division, options.env).dates;
}

/**
 * The last date the list covers. Beyond it every weekday counts as a working day, so a
 * deployment should load a newer GOV.UK file before then.
 */
export function bankHolidaysKnownUntil(division: BankHolidayDivision, options: { env?: Env } = {}): string {
  const events = loadBankHolidays(division, options).events;
  return events.at(-1)?.date ?? "0000-00-00";
}

/** Forgets every list read, so the next call reads the files again (tests). */
export function resetBankHolidaysCache(): void {
  shippedCache.clear();
  loadedCache.clear();
}

function loaded(division: BankHolidayDivision, env: Env = process.env): Loaded {
  const dir = bankHolidaysDirFromEnv(env);
  const file = dir ? path.join(dir, `${division}.json`) : undefined;
  const key = `${division}\n${dir ?? ""}`;
  const stamp = file ? fileStamp(file) : "";
  const cached = loadedCache.get(key);
  if (cached && cached.stamp === stamp) return cached;
  const shipped = shippedBankHolidays(division);
  const updated = file && stamp ? readBankHolidayFile(file, division) : undefined;
  const list = updated ? mergeBankHolidays(shipped, updated).list : shipped;
  const entry: Loaded = { stamp, list, dates: new Set(list.events.map((event) => event.date)) };
  loadedCache.set(key, entry);
  return entry;
}

function fileStamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return "";
  }
}

/**
 * One division's list written the way the shipped files are: one event a line, so a diff of
 * an update shows exactly the dates that changed.
 */
export function formatBankHolidayFile(list: BankHolidayList): string {
  const events = list.events.map((e) => `    ${JSON.stringify({ title: e.title, date: e.date, notes: e.notes, bunting: e.bunting })}`);
  const body = events.length ? `[\n${events.join(",\n")}\n  ]` : "[]";
  return `{\n  "division": ${JSON.stringify(list.division)},\n  "events": ${body}\n}\n`;
}

/**
 * Reads a file in GOV.UK's bank-holidays format: the whole file (all divisions, keyed by
 * division) or one division's object. Accepts the parsed JSON or its text. Throws a
 * BankHolidayFormatError naming the first bad field.
 */
export function parseGovUkBankHolidays(json: unknown): BankHolidayList[] {
  let value = json;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new BankHolidayFormatError(`The bank holidays file is not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value === "object" && value !== null && "division" in value) {
    return [check(bankHolidayListSchema.safeParse(value))];
  }
  const all = check(allDivisionsSchema.safeParse(value));
  const lists: BankHolidayList[] = [];
  for (const division of bankHolidayDivisions) {
    const list = all[division];
    if (!list) continue;
    if (list.division !== division) throw new BankHolidayFormatError(`The "${division}" entry says it is the "${list.division}" division.`);
    lists.push(list);
  }
  if (lists.length === 0) throw new BankHolidayFormatError(`The bank holidays file names none of the divisions ${bankHolidayDivisions.join(", ")}.`);
  return lists;
}

/** Raised when a bank holidays file is not in GOV.UK's format. */
export class BankHolidayFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BankHolidayFormatError";
  }
}

function check<T>(result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.map(String).join(".") || "(file)";
  throw new BankHolidayFormatError(`The bank holidays file is not in GOV.UK's format: ${where} ${issue?.message ?? "is not valid"}.`);
}

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
