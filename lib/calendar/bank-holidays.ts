import { z } from "zod";
import englandAndWales from "./bank-holidays/england-and-wales.json";
import northernIreland from "./bank-holidays/northern-ireland.json";
import scotland from "./bank-holidays/scotland.json";

/**
 * UK bank holidays, kept in GOV.UK's own format (https://www.gov.uk/bank-holidays.json) so a
 * newer file from GOV.UK can be dropped in or parsed as it is. The service clock (UCP-HD-1,
 * CC-5) skips them.
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
  .transform((list) => ({ ...list, events: [...list.events].sort((a, b) => a.date.localeCompare(b.date)) }));
export type BankHolidayList = z.infer<typeof bankHolidayListSchema>;

/** GOV.UK publishes all three divisions in one object keyed by division. */
const allDivisionsSchema = z.object({
  "england-and-wales": bankHolidayListSchema.optional(),
  scotland: bankHolidayListSchema.optional(),
  "northern-ireland": bankHolidayListSchema.optional(),
});

const shipped: Record<BankHolidayDivision, unknown> = {
  "england-and-wales": englandAndWales,
  scotland,
  "northern-ireland": northernIreland,
};
const cache = new Map<BankHolidayDivision, BankHolidayList>();

/** The shipped list for one division, validated once (a broken file stops start-up loudly). */
export function loadBankHolidays(division: BankHolidayDivision): BankHolidayList {
  const cached = cache.get(division);
  if (cached) return cached;
  const list = bankHolidayListSchema.parse(shipped[division]);
  if (list.division !== division) throw new Error(`bank-holidays/${division}.json holds the "${list.division}" division`);
  cache.set(division, list);
  return list;
}

/** The division's bank holidays as YYYY-MM-DD dates, the form the service clock takes. */
export function bankHolidayDates(division: BankHolidayDivision): Set<string> {
  return new Set(loadBankHolidays(division).events.map((event) => event.date));
}

/**
 * The last date the list covers. Beyond it every weekday counts as a working day, so a
 * deployment should load a newer GOV.UK file before then.
 */
export function bankHolidaysKnownUntil(division: BankHolidayDivision): string {
  const events = loadBankHolidays(division).events;
  return events.at(-1)?.date ?? "0000-00-00";
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
