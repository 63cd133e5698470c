import { formOf } from "./form-state";

/**
 * Turns a posted form into the plain values a use case's zod schema parses: text fields as
 * strings, repeated fields (checkboxes) as arrays, and GOV.UK date inputs (`<name>-day`,
 * `-month`, `-year`) as one YYYY-MM-DD string — or the raw parts joined, so the schema's
 * "must be a real date" message names a bad date instead of it vanishing.
 */
export function formValues(posted: FormData, options: { lists?: string[]; dates?: string[] } = {}): Record<string, unknown> {
  const formData = formOf(posted);
  const values: Record<string, unknown> = {};
  const lists = new Set(options.lists ?? []);
  const dates = new Set(options.dates ?? []);
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    const dateField = [...dates].find((d) => key === `${d}-day` || key === `${d}-month` || key === `${d}-year`);
    if (dateField) continue;
    if (lists.has(key)) values[key] = [...((values[key] as string[] | undefined) ?? []), value];
    else values[key] = value;
  }
  for (const list of lists) values[list] ??= [];
  for (const date of dates) values[date] = joinDate(formData, date);
  return values;
}

function joinDate(formData: FormData, name: string): string {
  const part = (p: string) => String(formData.get(`${name}-${p}`) ?? "").trim();
  const [day, month, year] = [part("day"), part("month"), part("year")];
  if (!day && !month && !year) return "";
  if (/^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)) return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return `${year}-${month}-${day}`;
}

/** The day/month/year boxes of a YYYY-MM-DD value, to refill a date input. */
export function dateParts(value: unknown): { day?: string; month?: string; year?: string } {
  if (typeof value !== "string") return {};
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  return match ? { year: match[1], month: String(Number(match[2])), day: String(Number(match[3])) } : {};
}
