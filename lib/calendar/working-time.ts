import { tz, type TZDate } from "@date-fns/tz";
import { addDays, format, getISODay, isSameDay, isValid, parseISO, set, startOfDay } from "date-fns";
import type { PortalConfig } from "../config/schema";

/**
 * The SLA clock (CC-5, UCP-HD-1). Time is counted in service time: only the configured
 * service hours of service days (by default Monday–Friday 09:00–17:00, Europe/London) that
 * are not bank holidays. A working day is one full day of service hours, so a request
 * received Tuesday 10:30 with five working days is due the next Tuesday 10:30.
 *
 * Pure: the caller passes the instant, the hours and the bank holidays (YYYY-MM-DD dates in
 * the service's time zone, see bank-holidays.ts). Days are walked as dates in the service's
 * time zone (date-fns over @date-fns/tz's TZDate), so a change between GMT and BST moves the
 * opening and closing instants with the wall clock.
 */
export type ServiceHours = PortalConfig["requests"]["serviceHours"];
export type SlaState = "on_track" | "due_today" | "overdue";

const MINUTE = 60_000;
/** Ten years of days: a calendar with no service day at all would otherwise loop forever. */
const MAX_DAYS_SCANNED = 3660;

/**
 * When a request received at `receivedAt` falls due, `days` working days later in service
 * time. Received outside service hours, the clock starts at the next opening. When the
 * count ends exactly at a closing time, that closing time is the due time (not the next
 * opening), so five days from Monday 09:00 is Friday 17:00.
 */
export function addWorkingDays(receivedAt: Date, days: number, hours: ServiceHours, holidays: ReadonlySet<string>): Date {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`working days must be a number zero or more, not ${days}`);
  checkInstant(receivedAt);
  let remaining = Math.round(days * serviceDayMinutes(hours)) * MINUTE;
  let date = dayOf(receivedAt, hours.timeZone);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = addDays(date, 1)) {
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
  const date = typeof day === "string" ? parseDay(day, hours.timeZone) : dayOf(checkInstant(day), hours.timeZone);
  return serviceWindow(date, hours, holidays) !== null;
}

/**
 * Service minutes from `from` to `to`: positive when `to` is later (time left until a due
 * time), negative when earlier (how long overdue). Whole minutes, truncated towards zero.
 */
export function workingTimeBetween(from: Date, to: Date, hours: ServiceHours, holidays: ReadonlySet<string>): number {
  checkInstant(from);
  checkInstant(to);
  if (to.getTime() < from.getTime()) return -workingTimeBetween(to, from, hours, holidays);
  let total = 0;
  let date = dayOf(from, hours.timeZone);
  const last = dayOf(to, hours.timeZone).getTime();
  for (let i = 0; i < MAX_DAYS_SCANNED * 10 && date.getTime() <= last; i++, date = addDays(date, 1)) {
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
  return isSameDay(dueAt, now, { in: tz(timeZone) }) ? "due_today" : "on_track";
}

/** Opening and closing instants of a service day, or null when the day is not one. */
function serviceWindow(date: TZDate, hours: ServiceHours, holidays: ReadonlySet<string>): { open: number; close: number } | null {
  if (!hours.days.includes(getISODay(date))) return null;
  if (holidays.has(format(date, "yyyy-MM-dd"))) return null;
  return { open: atClockTime(date, hours.start), close: atClockTime(date, hours.end) };
}

/** The instant a wall-clock time (HH:MM) falls on a day in that day's time zone. */
function atClockTime(date: TZDate, time: string): number {
  const minutes = clockMinutes(time);
  return set(date, { hours: Math.floor(minutes / 60), minutes: minutes % 60, seconds: 0, milliseconds: 0 }).getTime();
}

/** The calendar day an instant falls on in the time zone, as that day's local midnight. */
function dayOf(at: Date, timeZone: string): TZDate {
  return startOfDay(at, { in: tz(timeZone) });
}

function parseDay(value: string, timeZone: string): TZDate {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseISO(value, { in: tz(timeZone) }) : undefined;
  if (!date || !isValid(date)) throw new RangeError(`"${value}" is not a day of the calendar written YYYY-MM-DD`);
  return date;
}

function checkInstant(at: Date): Date {
  if (!(at instanceof Date) || !isValid(at)) throw new RangeError(`${String(at)} is not a valid instant`);
  return at;
}

function clockMinutes(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
