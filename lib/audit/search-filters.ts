import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { channels } from "../db/schema/requests";
import type { Channel } from "./events";

/**
 * What an audit search asks for (UAP-A.9: by user, provider, action, date). Pure: the search
 * page, the print view, the CSV export and the CLI all parse their input here, so a link
 * carrying the filters means the same thing on each of them.
 */

/** Days in audit searches are days on the clocks of the service's staff. */
export const AUDIT_TIME_ZONE = "Europe/London";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface AuditFilters {
  /** An account id, or text found in an account's email address or name. */
  person?: string;
  organisationId?: string;
  /** "account.suspended" matches that action; "request." (or "request") every request action. */
  action?: string;
  channel?: Channel;
  /** First day (YYYY-MM-DD, Europe/London), inclusive. */
  from?: string;
  /** Last day (YYYY-MM-DD, Europe/London), inclusive. */
  to?: string;
}

export interface AuditQuery extends AuditFilters {
  page?: number;
  pageSize?: number;
}

/** An action filter as the database reads it: one action, or every action under a prefix ending in ".". */
export type ActionMatch = { exact: string } | { prefix: string };

const ACTION_PATTERN = /^[a-z_]+(\.[a-z_]+)*$/;

/** "request", "request." and "request.*" are prefixes; "request.approved" is exact. */
export function actionMatch(action: string): ActionMatch {
  const text = action.trim().toLowerCase().replace(/\.\*$/, ".");
  if (text.endsWith(".")) return { prefix: text };
  return text.includes(".") ? { exact: text } : { prefix: `${text}.` };
}

/** The instants a day range covers: from midnight starting `from` to midnight ending `to`, in the time zone. */
export function dayRange(filters: Pick<AuditFilters, "from" | "to">, timeZone = AUDIT_TIME_ZONE): { start?: Date; end?: Date } {
  return {
    start: filters.from ? startOfDayIn(filters.from, timeZone) : undefined,
    end: filters.to ? startOfDayIn(filters.to, timeZone, 1) : undefined,
  };
}

function startOfDayIn(isoDate: string, timeZone: string, addDays = 0): Date {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  // TZDate counts the wall clock in the zone, so a day of 23 or 25 hours (clock change) is right.
  return new Date(new TZDate(year, month - 1, day + addDays, timeZone).getTime());
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate);

/** Filters as use cases take them (already parsed at the edge; this re-checks typed callers such as the CLI). */
export const auditFiltersSchema = z
  .object({
    person: z.string().trim().min(1).max(200).optional(),
    organisationId: z.uuid().optional(),
    action: z
      .string()
      .trim()
      .toLowerCase()
      .refine((a) => ACTION_PATTERN.test(a.replace(/\.\*?$/, "")), "not an action name")
      .optional(),
    channel: z.enum(channels).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "the last day is before the first", path: ["to"] });

export const auditQuerySchema = auditFiltersSchema.and(
  z.object({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  }),
);

// ---------------------------------------------------------------------------------------
// The web form: GET parameters in, filters or GOV.UK error messages out.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The form's values as typed, to put back in the form. */
export interface AuditFormValues {
  person: string;
  organisation: string;
  action: string;
  channel: string;
  from: { day: string; month: string; year: string };
  to: { day: string; month: string; year: string };
}

export type ParsedAuditSearch =
  | { ok: true; filters: AuditFilters; page: number; values: AuditFormValues }
  | { ok: false; fieldErrors: Record<string, string>; values: AuditFormValues; page: number };

/**
 * Reads the search form (GET parameters). Dates come as `from-day`, `from-month`, `from-year`
 * from the form, or as `from=YYYY-MM-DD` from a link; both mean the same.
 */
export function parseAuditSearch(params: SearchParams, today?: string): ParsedAuditSearch {
  const one = (name: string) => {
    const value = params[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
  };
  const values: AuditFormValues = {
    person: one("person"),
    organisation: one("organisation"),
    action: one("action"),
    channel: one("channel"),
    from: dateParts(one("from"), one("from-day"), one("from-month"), one("from-year")),
    to: dateParts(one("to"), one("to-day"), one("to-month"), one("to-year")),
  };
  const page = positiveInt(one("page")) ?? 1;
  const fieldErrors: Record<string, string> = {};
  const filters: AuditFilters = {};

  if (values.person) {
    if (values.person.length > 200) fieldErrors.person = "Person must be 200 characters or fewer";
    else filters.person = values.person;
  }
  if (values.organisation) {
    if (z.uuid().safeParse(values.organisation).success) filters.organisationId = values.organisation.toLowerCase();
    else fieldErrors.organisation = "Select an organisation from the list";
  }
  if (values.action) {
    const action = values.action.toLowerCase();
    if (ACTION_PATTERN.test(action.replace(/\.\*?$/, ""))) filters.action = action;
    else fieldErrors.action = "Action must be an action name such as account.suspended, or the start of one such as request.";
  }
  if (values.channel) {
    const channel = channels.find((c) => c === values.channel);
    if (channel) filters.channel = channel;
    else fieldErrors.channel = "Select a channel from the list";
  }
  const from = readDate("Date from", values.from, today);
  const to = readDate("Date to", values.to, today);
  if ("error" in from) fieldErrors.from = from.error;
  else if (from.date) filters.from = from.date;
  if ("error" in to) fieldErrors.to = to.error;
  else if (to.date) filters.to = to.date;
  if (filters.from && filters.to && filters.to < filters.from) fieldErrors.to = "Date to must be the same as or after date from";

  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, values, page };
  return { ok: true, filters, page, values };
}

/** The filters as URL parameters, for pagination, the export and the print view (empty ones left out). */
export function auditSearchParams(filters: AuditFilters, extra: Record<string, string | number | undefined> = {}): URLSearchParams {
  const params = new URLSearchParams();
  const entries: [string, string | number | undefined][] = [
    ["person", filters.person],
    ["organisation", filters.organisationId],
    ["action", filters.action],
    ["channel", filters.channel],
    ["from", filters.from],
    ["to", filters.to],
    ...Object.entries(extra),
  ];
  for (const [key, value] of entries) if (value !== undefined && value !== "") params.set(key, String(value));
  return params;
}

/** True when the filters ask for anything at all. */
export function hasFilters(filters: AuditFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && v !== "");
}

/** The filters with empty ones left out: what audit events record as the terms of a search or export. */
export function filterTerms(filters: AuditFilters): Record<string, string> {
  const terms: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (typeof value === "string" && value !== "") terms[key] = value;
  return terms;
}

function dateParts(iso: string, day: string, month: string, year: string): AuditFormValues["from"] {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(iso);
  if (match && !day && !month && !year) return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1]! };
  return { day, month, year };
}

/** GOV.UK date validation messages: "must include a month", "must be a real date", "must be today or in the past". */
function readDate(name: string, parts: AuditFormValues["from"], today?: string): { date?: string } | { error: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return {};
  const missing = [!day && "day", !month && "month", !year && "year"].filter(Boolean) as string[];
  if (missing.length === 2) return { error: `${name} must include a ${missing[0]} and ${missing[1]}` };
  if (missing.length === 1) return { error: `${name} must include a ${missing[0]}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: `${name} must be a real date` };
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isRealDate(iso)) return { error: `${name} must be a real date` };
  if (today && iso > today) return { error: `${name} must be today or in the past` };
  return { date: iso };
}

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso && Number(iso.slice(0, 4)) >= 1900;
}

function positiveInt(text: string): number | undefined {
  if (!/^\d{1,7}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}
