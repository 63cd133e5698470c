import { readDate } from "../imports/values";

/**
 * Reading the values of a feed row, as the finance system or a person's spreadsheet writes
 * them. Each reader returns the value or a message for the row's report. Pure.
 */

export type Reading<T> = { ok: true; value: T } | { ok: false; message: string };

/** A calendar date (YYYY-MM-DD, or the UK spellings lib/imports reads); empty is null. */
export function feedDate(raw: string, label: string): Reading<string | null> {
  const read = readDate(raw, label);
  return read.ok ? { ok: true, value: read.iso } : { ok: false, message: read.message };
}

/**
 * Money in pounds as written (1234.56, £1,234.56, -12.5, (12.50) for a credit) to whole pence.
 * More than two decimal places is refused rather than rounded: a feed that sends them has a bug.
 */
export function feedMoney(raw: string, label: string): Reading<number | null> {
  let text = raw.trim().replace(/^£/, "").replace(/,/g, "").trim();
  if (text === "") return { ok: true, value: null };
  let negative = false;
  const bracketed = /^\((.*)\)$/.exec(text);
  if (bracketed) {
    negative = true;
    text = bracketed[1]!.replace(/^£/, "").trim();
  }
  if (text.startsWith("-")) {
    negative = !negative;
    text = text.slice(1).replace(/^£/, "");
  }
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: `${label} "${raw.trim()}" is not an amount of money. Write it like 1234.56` };
  const pence = Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
  return { ok: true, value: negative ? -pence : pence };
}

/** A non-negative quantity with at most two decimal places, kept as its decimal text. */
export function feedUnits(raw: string, label: string): Reading<string | null> {
  const text = raw.trim().replace(/,/g, "");
  if (text === "") return { ok: true, value: null };
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: `${label} "${raw.trim()}" is not a number of units. Write it like 10 or 10.5` };
  return { ok: true, value: match[2] ? `${match[1]}.${match[2]}` : match[1]! };
}

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["no", "n", "false", "0"]);

/** yes/no, true/false, 1/0; empty is null (the column's default applies). */
export function feedBoolean(raw: string, label: string): Reading<boolean | null> {
  const text = raw.trim().toLowerCase();
  if (text === "") return { ok: true, value: null };
  if (YES.has(text)) return { ok: true, value: true };
  if (NO.has(text)) return { ok: true, value: false };
  return { ok: false, message: `${label} "${raw.trim()}" must be yes or no` };
}

/** An NHS-number-like reference: ten digits, spaces allowed between them; empty is null. */
export function feedNhsNumber(raw: string, label: string): Reading<string | null> {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  const digits = text.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return { ok: false, message: `${label} "${text}" must be ten digits` };
  return { ok: true, value: digits };
}

/** One of the allowed words (any case); empty is null. */
export function feedChoice<T extends string>(raw: string, label: string, allowed: readonly T[]): Reading<T | null> {
  const text = raw.trim().toLowerCase();
  if (text === "") return { ok: true, value: null };
  const found = allowed.find((a) => a === text);
  if (!found) return { ok: false, message: `${label} "${raw.trim()}" must be one of: ${allowed.join(", ")}` };
  return { ok: true, value: found };
}
