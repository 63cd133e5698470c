import type { Clock } from "../clock";

/** Care dates are London calendar days (packages end on a day, not an instant). */
export const CARE_TIME_ZONE = "Europe/London";

const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: CARE_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today in London as YYYY-MM-DD. */
export function londonToday(clock: Clock): string {
  return dayFormat.format(clock.now());
}

/** A YYYY-MM-DD day moved by whole days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
