import { tz } from "@date-fns/tz";
import { addMonths, format } from "date-fns";
import type { PortalConfig } from "../config/schema";

/**
 * The jobs' pure decisions: when an idle account is warned and suspended (UAP-4.3b), the
 * end-date warning window (CC-7c), when IG training expires (CC-7f). No database, no clock of
 * their own: unit-tested as they are.
 */

export const DAY_MS = 86_400_000;

/**
 * UAP-4.3b: an account's inactivity clock starts at the latest of its last sign-in, its
 * activation and its last reinstatement (UAP-4.3c) — when none is known, its creation.
 */
export function idleSince(account: { lastSignInAt: Date | null; activatedAt: Date | null; reinstatedAt: Date | null; createdAt: Date }): Date {
  const known = [account.lastSignInAt, account.activatedAt, account.reinstatedAt].filter((d): d is Date => d !== null);
  return known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : account.createdAt;
}

/** The instant an account idle since `since` is suspended: inactivityDays whole days later. */
export function inactivityDeadline(since: Date, accounts: Pick<PortalConfig["accounts"], "inactivityDays">): Date {
  return new Date(since.getTime() + accounts.inactivityDays * DAY_MS);
}

/**
 * The two cut-offs of a sweep at `now`: accounts idle since `suspend` or earlier are suspended;
 * those idle since `warn` or earlier (and not suspended) are warned, inactivityWarningDays ahead.
 */
export function inactivityCutoffs(now: Date, accounts: Pick<PortalConfig["accounts"], "inactivityDays" | "inactivityWarningDays">): { suspend: Date; warn: Date } {
  return {
    suspend: new Date(now.getTime() - accounts.inactivityDays * DAY_MS),
    warn: new Date(now.getTime() - (accounts.inactivityDays - accounts.inactivityWarningDays) * DAY_MS),
  };
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return format(at, "yyyy-MM-dd", { in: tz(timeZone) });
}

/** A calendar day plus (or minus) whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * CC-7c: today, accounts whose end date is today or earlier are suspended; those ending within
 * the next endDateWarningDays days (after today, up to `warnUntil`) are warned.
 */
export function endDateWindow(today: string, accounts: Pick<PortalConfig["accounts"], "endDateWarningDays">): { suspendOnOrBefore: string; warnUntil: string } {
  return { suspendOnOrBefore: today, warnUntil: addDays(today, accounts.endDateWarningDays) };
}

/** CC-7f: the day IG training done on `trainedOn` stops being valid (a month-end date clamps, as PostgreSQL does). */
export function trainingExpiresOn(trainedOn: string, validityMonths: number): string {
  const [y, m, d] = trainedOn.split("-").map(Number) as [number, number, number];
  const expires = addMonths(new Date(Date.UTC(y, m - 1, d, 12)), validityMonths);
  return expires.toISOString().slice(0, 10);
}

/** "Monday 6 July 2026" for a calendar day. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return format(new Date(Date.UTC(y, m - 1, d, 12)), "EEEE d MMMM yyyy", { in: tz("UTC") });
}

/**
 * An instant as a day in the time zone: "Monday 6 July 2026". A sweep formats the same instant
 * for thousands of emails, and a time-zone format costs tens of microseconds, so the last few
 * answers are kept.
 */
export function formatInstantDay(at: Date, timeZone: string): string {
  const key = `${at.getTime()}|${timeZone}`;
  let day = recentDays.get(key);
  if (day === undefined) {
    day = format(at, "EEEE d MMMM yyyy", { in: tz(timeZone) });
    if (recentDays.size >= 64) recentDays.clear();
    recentDays.set(key, day);
  }
  return day;
}
const recentDays = new Map<string, string>();
