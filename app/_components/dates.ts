/** Calendar dates as the service shows them: "1 April 2027" (en-GB, no weekday). */

const longDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const dayMs = 24 * 60 * 60 * 1000;

/** Formats a YYYY-MM-DD date (a calendar day, no time zone) as "1 April 2027". */
export function formatDate(isoDate: string): string {
  return longDate.format(calendarDay(isoDate));
}

/** Formats an instant as the day it falls on in the given time zone, e.g. "1 April 2027". */
export function formatInstantDate(instant: Date, timeZone = "Europe/London"): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(instant);
}

/** Whole days from `today` (a YYYY-MM-DD day) until `isoDate`: negative once it has passed. */
export function daysUntil(isoDate: string, today: string): number {
  return Math.round((calendarDay(isoDate).getTime() - calendarDay(today).getTime()) / dayMs);
}

/** Today's calendar day (YYYY-MM-DD) in the given time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(now);
}

function calendarDay(isoDate: string): Date {
  const day = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new RangeError(`Not a date written YYYY-MM-DD: ${isoDate}`);
  return day;
}
