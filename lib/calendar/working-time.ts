import { TZDate } from "@date-fns/tz";
import type { PortalConfig } from "../config/schema";

/**
 * The SLA clock (CC-5, UCP-HD-1). Time is counted in service time: only the configured
 * service hours of service days (by default Monday–Friday 09:00–17:00, Europe/London) that
 * are not bank holidays. A working day is one full day of service hours, so a request
 * received Tuesday 10:30 with five working days is due the next Tuesday 10:30.
 *
 * Pure: the caller passes the instant, the hours and the bank holidays (YYYY-MM-DD dates in
 * the service's time zone, see bank-holidays.ts).
 */
export type ServiceHours = PortalConfig["requests"]["serviceHours"];
export type SlaState = "on_track" | "due_today" | "overdue";

const MINUTE = 60_000;
/** Ten years of days: a calendar with no service day at all would otherwise loop forever. */
const MAX_DAYS_SCANNED = 3660;

/** A day of the calendar, independent of any time zone. */
interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number;
}

/**
 * When a request received at `receivedAt` falls due, `days` working days later in service
 * time. Received outside service hours, the clock starts at the next opening. When the
 * count ends exactly at a closing time, that closing time is the due time (not the next
 * opening), so five days from Monday 09:00 is Friday 17:00.
 */
export function addWorkingDays(receivedAt: Date, days: number, hours: ServiceHours, holidays: ReadonlySet<string>): Date {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`working days must be a number zero or more, not ${days}`);
  let remaining = Math.round(days * serviceDayMinutes(hours)) * MINUTE;
  let date = civilDateAt(receivedAt, hours.timeZone);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = nextDate(date)) {
    const window = serviceWindow(date, hours, holidays);
    if (!window) continue;
    const start = Math.max(receivedAt.getTime(), window.open);
    if (start >= window.close) continue;
    const available = window.close - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  throw new RangeError("the service hours have no working day in ten years");
}

/**
 * The instant the SLA clock starts for something received at `at`: `at` itself inside
 * service hours, otherwise the next opening.
 */
export function serviceClockStart(at: Date, hours: ServiceHours, holidays: ReadonlySet<string>): Date {
  return addWorkingDays(at, 0, hours, holidays);
}

/**
 * Whether a day is a service day: one of the configured weekdays and not a bank holiday.
 * A Date is read as its calendar day in the service's time zone; a string is a YYYY-MM-DD day.
 */
export function isWorkingDay(day: Date | string, hours: ServiceHours, holidays: ReadonlySet<string>): boolean {
  const date = typeof day === "string" ? parseCivilDate(day) : civilDateAt(day, hours.timeZone);
  return serviceWindow(date, hours, holidays) !== null;
}

/**
 * Service minutes from `from` to `to`: positive when `to` is later (time left until a due
 * time), negative when earlier (how long overdue). Whole minutes, truncated towards zero.
 */
export function workingTimeBetween(from: Date, to: Date, hours: ServiceHours, holidays: ReadonlySet<string>): number {
  if (to.getTime() < from.getTime()) return -workingTimeBetween(to, from, hours, holidays);
  let total = 0;
  let date = civilDateAt(from, hours.timeZone);
  const last = civilDateAt(to, hours.timeZone);
  for (let i = 0; i < MAX_DAYS_SCANNED * 10 && compareDates(date, last) <= 0; i++, date = nextDate(date)) {
    const window = serviceWindow(date, hours, holidays);
    if (!window) continue;
    const start = Math.max(from.getTime(), window.open);
    const end = Math.min(to.getTime(), window.close);
    if (end > start) total += end - start;
  }
  return Math.trunc(total / MINUTE);
}

/** Minutes of service time in one working day (480 for 09:00–17:00). */
export function serviceDayMinutes(hours: ServiceHours): number {
  return clockMinutes(hours.end) - clockMinutes(hours.start);
}

/**
 * Where a request stands against its due time: overdue once `now` is past it; due today when
 * it falls due later on today's date in the service's time zone; otherwise on track.
 */
export function slaState(dueAt: Date, now: Date, timeZone = "Europe/London"): SlaState {
  if (now.getTime() > dueAt.getTime()) return "overdue";
  return compareDates(civilDateAt(dueAt, timeZone), civilDateAt(now, timeZone)) === 0 ? "due_today" : "on_track";
}

/** Opening and closing instants of a service day, or null when the day is not one. */
function serviceWindow(date: CivilDate, hours: ServiceHours, holidays: ReadonlySet<string>): { open: number; close: number } | null {
  if (!hours.days.includes(isoWeekday(date))) return null;
  if (holidays.has(formatCivilDate(date))) return null;
  // TZDate resolves the wall-clock time in the zone, so a DST change moves the instants with it.
  const open = localInstant(date, hours.start, hours.timeZone);
  const close = localInstant(date, hours.end, hours.timeZone);
  return { open, close };
}

function localInstant(date: CivilDate, time: string, timeZone: string): number {
  const minutes = clockMinutes(time);
  return new TZDate(date.year, date.month - 1, date.day, Math.floor(minutes / 60), minutes % 60, timeZone).getTime();
}

function civilDateAt(at: Date, timeZone: string): CivilDate {
  const local = new TZDate(at.getTime(), timeZone);
  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() };
}

function parseCivilDate(value: string): CivilDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`"${value}" is not a date written YYYY-MM-DD`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

// Calendar arithmetic runs on UTC dates, where every day is 24 hours long.
function nextDate(date: CivilDate): CivilDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

function isoWeekday(date: CivilDate): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function formatCivilDate(date: CivilDate): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

function clockMinutes(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
