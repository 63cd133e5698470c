import { TZDate } from "@date-fns/tz";

/**
 * When a job falls due. Pure arithmetic on instants, unit-tested without a database:
 *   every(15)                      every 15 minutes (slots at :00, :15, :30, :45 UTC)
 *   dailyAt("06:00")               every day at 06:00 Europe/London (BST or GMT)
 * A job is due when it has not run successfully since the latest slot at or before now, so a
 * slot missed while nothing ran (server down, timer off) is caught up at the next tick.
 */
export type JobSchedule = { kind: "interval"; minutes: number } | { kind: "daily"; at: string; timeZone: string };

export const DEFAULT_TIME_ZONE = "Europe/London";

/** After a failed run, wait this long before the schedule tries again (a manual run may go sooner). */
export const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export function every(minutes: number): JobSchedule {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new Error(`an interval must be 1 to 1440 whole minutes, not ${minutes}`);
  return { kind: "interval", minutes };
}

export function dailyAt(at: string, timeZone = DEFAULT_TIME_ZONE): JobSchedule {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw new Error(`a daily time is HH:MM (24-hour), not "${at}"`);
  return { kind: "daily", at, timeZone };
}

/** "every 15 minutes", "daily at 06:00 (Europe/London)". */
export function describeSchedule(schedule: JobSchedule): string {
  if (schedule.kind === "interval") {
    if (schedule.minutes % 60 === 0) {
      const hours = schedule.minutes / 60;
      return hours === 1 ? "every hour" : `every ${hours} hours`;
    }
    return schedule.minutes === 1 ? "every minute" : `every ${schedule.minutes} minutes`;
  }
  return `daily at ${schedule.at} (${schedule.timeZone})`;
}

/** The latest scheduled instant at or before `now`. */
export function latestSlot(schedule: JobSchedule, now: Date): Date {
  if (schedule.kind === "interval") {
    const step = schedule.minutes * 60_000;
    return new Date(Math.floor(now.getTime() / step) * step);
  }
  const local = new TZDate(now.getTime(), schedule.timeZone);
  const [hours, minutes] = schedule.at.split(":").map(Number) as [number, number];
  const today = slotOn(local.getFullYear(), local.getMonth(), local.getDate(), hours, minutes, schedule.timeZone);
  if (today.getTime() <= now.getTime()) return today;
  return slotOn(local.getFullYear(), local.getMonth(), local.getDate() - 1, hours, minutes, schedule.timeZone);
}

/** The first scheduled instant after `now`. */
export function nextSlot(schedule: JobSchedule, now: Date): Date {
  if (schedule.kind === "interval") {
    return new Date(latestSlot(schedule, now).getTime() + schedule.minutes * 60_000);
  }
  const latest = new TZDate(latestSlot(schedule, now).getTime(), schedule.timeZone);
  const [hours, minutes] = schedule.at.split(":").map(Number) as [number, number];
  return slotOn(latest.getFullYear(), latest.getMonth(), latest.getDate() + 1, hours, minutes, schedule.timeZone);
}

function slotOn(year: number, month: number, day: number, hours: number, minutes: number, timeZone: string): Date {
  return new Date(new TZDate(year, month, day, hours, minutes, 0, 0, timeZone).getTime());
}

/** What the schedule needs to know of a job's past runs (skipped runs do not count: another runner was on it). */
export interface RunHistory {
  /** When the last successful run started. */
  lastOkAt: Date | null;
  /** The last run that ran at all (ok or failed). */
  lastAttempt: { startedAt: Date; status: "ok" | "failed" } | null;
}

/**
 * Due when no successful run started at or after the latest slot — unless the last attempt
 * failed less than RETRY_AFTER_FAILURE_MS ago, so a broken job is not retried every minute.
 */
export function isDue(schedule: JobSchedule, history: RunHistory, now: Date): boolean {
  const slot = latestSlot(schedule, now);
  if (history.lastOkAt && history.lastOkAt.getTime() >= slot.getTime()) return false;
  const attempt = history.lastAttempt;
  if (attempt?.status === "failed" && now.getTime() - attempt.startedAt.getTime() < RETRY_AFTER_FAILURE_MS) return false;
  return true;
}

/** When the schedule will next run the job (now, if it is due). */
export function nextRunAt(schedule: JobSchedule, history: RunHistory, now: Date): Date {
  if (isDue(schedule, history, now)) return now;
  const attempt = history.lastAttempt;
  if (attempt?.status === "failed" && !(history.lastOkAt && history.lastOkAt.getTime() >= latestSlot(schedule, now).getTime())) {
    return new Date(attempt.startedAt.getTime() + RETRY_AFTER_FAILURE_MS);
  }
  return nextSlot(schedule, now);
}
