import type { PortalConfig } from "../config/schema";
import { jobTitleKey } from "../policy/job-title-roles";

/**
 * Reading the values people type into spreadsheets: UK dates in the usual spellings, yes/no,
 * and security roles by name. Pure.
 */

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

export type DateReading = { ok: true; iso: string | null } | { ok: false; message: string };

/**
 * A date as YYYY-MM-DD from: 2027-03-31 (or with a time after it), 31/03/2027, 31-03-2027,
 * 31.03.2027, 31/3/27, 31 March 2027, 31 Mar 2027. Day first, as UK spreadsheets write it; a
 * US-style 03/31/2027 is not a real date and says so. Empty is no date.
 */
export function readDate(raw: string | undefined, label: string): DateReading {
  const text = (raw ?? "").trim();
  if (text === "") return { ok: true, iso: null };
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text))) {
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3]!.length === 2) year! += 2000;
  } else if ((match = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})$/i.exec(text))) {
    const name = match[2]!.toLowerCase();
    const index = MONTHS.findIndex((m) => m === name || (name.length >= 3 && m.startsWith(name) && (name.length === 3 || name === "sept")));
    if (index >= 0) [day, month, year] = [Number(match[1]), index + 1, Number(match[3])];
  }
  if (year === undefined || month === undefined || day === undefined) {
    return { ok: false, message: `${label} "${text}" is not a date. Write it like 31/12/2027 or 2027-12-31` };
  }
  const iso = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    return { ok: false, message: `${label} "${text}" is not a real date (day, then month, then year). Write it like 31/12/2027 or 2027-12-31` };
  }
  return { ok: true, iso };
}

const YES = new Set(["yes", "y", "true", "1", "x", "✓", "✔", "ticked"]);
const NO = new Set(["no", "n", "false", "0", "", "-"]);

export type YesNoReading = { ok: true; value: boolean } | { ok: false; message: string };

/** Yes/no as spreadsheets spell it; empty is no. */
export function readYesNo(raw: string | undefined, label: string): YesNoReading {
  const text = (raw ?? "").trim().toLowerCase();
  if (YES.has(text)) return { ok: true, value: true };
  if (NO.has(text)) return { ok: true, value: false };
  return { ok: false, message: `${label} should be yes or no, not "${(raw ?? "").trim()}"` };
}

export interface RoleReading {
  /** The keys of the roles named. */
  keys: string[];
  /** Names that match no security role. */
  unknown: string[];
}

/**
 * Security roles by name or key, several separated by ; , | or a new line, matched ignoring
 * case and punctuation ("care co-ordinator" finds "Care coordinator"). Any role in the
 * catalogue is found here; whether a provider may ask for it is the request schema's rule.
 */
export function readRoles(raw: string | undefined, config: Pick<PortalConfig, "securityRoles">): RoleReading {
  const parts = (raw ?? "")
    .split(/[;,|\n]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const keys: string[] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    const wanted = jobTitleKey(part);
    const role = config.securityRoles.find((r) => jobTitleKey(r.name) === wanted || jobTitleKey(r.key) === wanted);
    if (role) {
      if (!keys.includes(role.key)) keys.push(role.key);
    } else {
      unknown.push(part);
    }
  }
  return { keys, unknown };
}
