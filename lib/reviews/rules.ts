import type { ReviewDecision } from "./schema";

/**
 * The pure rules of the quarterly access review (UAP-4.2, UAP-4.3a): which period a day falls
 * in, when its review is due, which reminder is due, what a review's standing is and what the
 * report counts as a finding. Dates are calendar days written YYYY-MM-DD (the service's time
 * zone decides "today"; see serviceDay in lib/requests/rules.ts), so no time zone enters here.
 */

/** The report's idle threshold: no sign-in for this many days (UAP-4.3a; the seed's 30 days). */
export const REPORT_IDLE_DAYS = 30;

const DAY_MS = 86_400_000;
const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export interface ReviewPeriod {
  /** First day of the period, e.g. 2026-04-01. */
  start: string;
  /** Last day of the period, e.g. 2026-06-30. */
  end: string;
  /** The last day to sign off: the period's last day. */
  dueOn: string;
  /** "April to June 2026" (a quarter), "May 2026" (a month), "2026" (a year). */
  label: string;
}

function parseDay(day: string): { year: number; month: number; date: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`Not a date written YYYY-MM-DD: ${day}`);
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}

function writeDay(utc: Date): string {
  return utc.toISOString().slice(0, 10);
}

/** Adds whole days to a calendar day (negative to go back). */
export function addDays(day: string, days: number): string {
  const { year, month, date } = parseDay(day);
  return writeDay(new Date(Date.UTC(year, month, date + days)));
}

/**
 * Adds whole months to a calendar day, keeping to the month's last day when the day does not
 * exist there (31 March − 1 month = 28 or 29 February).
 */
export function addMonths(day: string, months: number): string {
  const { year, month, date } = parseDay(day);
  const lastOfTarget = new Date(Date.UTC(year, month + months + 1, 0)).getUTCDate();
  return writeDay(new Date(Date.UTC(year, month + months, Math.min(date, lastOfTarget))));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  return Math.round((Date.UTC(b.year, b.month, b.date) - Date.UTC(a.year, a.month, a.date)) / DAY_MS);
}

/**
 * The review period holding `today`: periods of `intervalMonths` counted from January, so a
 * 3-month interval gives the calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec). An interval
 * that does not divide the year ends its last period on 31 December.
 */
export function reviewPeriodFor(today: string, intervalMonths: number): ReviewPeriod {
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1 || intervalMonths > 12) throw new RangeError(`review interval must be 1–12 months, not ${intervalMonths}`);
  const { year, month } = parseDay(today);
  const firstMonth = Math.floor(month / intervalMonths) * intervalMonths;
  const lastMonth = Math.min(firstMonth + intervalMonths, 12) - 1;
  const start = writeDay(new Date(Date.UTC(year, firstMonth, 1)));
  const end = writeDay(new Date(Date.UTC(year, lastMonth + 1, 0)));
  return { start, end, dueOn: end, label: periodLabel(start, end) };
}

/** "April to June 2026", "May 2026", "January to December 2026" → "2026". */
export function periodLabel(start: string, end: string): string {
  const s = parseDay(start);
  const e = parseDay(end);
  if (s.month === 0 && e.month === 11 && s.year === e.year) return String(s.year);
  if (s.month === e.month && s.year === e.year) return `${monthNames[s.month]} ${s.year}`;
  const from = s.year === e.year ? monthNames[s.month] : `${monthNames[s.month]} ${s.year}`;
  return `${from} to ${monthNames[e.month]} ${e.year}`;
}

/**
 * The reminder due on `today` for a review due on `dueOn`, as days before the due date (14, 7
 * …), or null. The nearest threshold already reached is the one due; once it has been sent
 * (`lastSentDays`) nothing more is due until the next, nearer one. A job that missed the
 * 14-day reminder and first runs 6 days out sends one reminder (the 7-day one), not two.
 * Nothing is due after the due date: overdue reviews are escalated instead.
 */
export function reminderDue(dueOn: string, today: string, reminderDays: readonly number[], lastSentDays: number | null): number | null {
  const left = daysBetween(today, dueOn);
  if (left < 0) return null;
  const reached = reminderDays.filter((days) => left <= days);
  if (reached.length === 0) return null;
  const threshold = Math.min(...reached);
  if (lastSentDays !== null && lastSentDays <= threshold) return null;
  return threshold;
}

/** Overdue: not signed off and the due date has passed. */
export function isOverdue(review: { dueOn: string; signedOffAt: Date | null }, today: string): boolean {
  return !review.signedOffAt && today > review.dueOn;
}

export const reviewStandings = ["signed_off", "overdue", "due_soon", "open"] as const;
export type ReviewStanding = (typeof reviewStandings)[number];

export const standingLabels: Record<ReviewStanding, string> = {
  signed_off: "Signed off",
  overdue: "Overdue",
  due_soon: "Due soon",
  open: "Open",
};

/** Where a review stands today: signed off, overdue, due soon (within the first reminder) or open. */
export function reviewStanding(review: { dueOn: string; signedOffAt: Date | null }, today: string, reminderDays: readonly number[]): ReviewStanding {
  if (review.signedOffAt) return "signed_off";
  if (today > review.dueOn) return "overdue";
  const soon = reminderDays.length > 0 ? Math.max(...reminderDays) : 0;
  return daysBetween(today, review.dueOn) <= soon ? "due_soon" : "open";
}

/** Sign-off needs a decision on every account listed. */
export function canSignOff(counts: { total: number; decided: number }): boolean {
  return counts.decided >= counts.total;
}

/**
 * The decisions the review page offers for an account. A suspended account can only be kept as
 * it is (bringing it back is a reinstatement request, UAP-A.8); the Lead correspondent's own
 * role changes only through a change of Lead correspondent (UAP-A.3). submitRequest enforces
 * both again whichever way a decision arrives.
 */
export function decisionsFor(item: { status: string; roleKeys: readonly string[] }, leadRoleKey: string): ReviewDecision[] {
  if (item.status === "suspended" || item.roleKeys.includes(leadRoleKey)) return ["keep"];
  return ["keep", "change_role", "suspend"];
}

export const decisionLabels: Record<ReviewDecision, string> = {
  keep: "Keep",
  change_role: "Change role",
  suspend: "Suspend",
};

// ---------------------------------------------------------------------------------------------
// The operator's quarterly report (UAP-4.3a)

/** The first day an IG training date still counts: training older than the validity has expired (CC-7f). */
export function trainingCutoff(today: string, validityMonths: number): string {
  return addMonths(today, -validityMonths);
}

/** Training recorded before the cut-off has expired; none recorded counts as not valid either. */
export function trainingExpired(igTrainingDate: string | null, today: string, validityMonths: number): boolean {
  return igTrainingDate === null || igTrainingDate < trainingCutoff(today, validityMonths);
}

/** An end date that has passed on an account still open (it should have been suspended, CC-7c). */
export function endDatePassed(endDate: string | null, today: string): boolean {
  return endDate !== null && endDate < today;
}

/** No sign-in for the report's threshold: counted from activation (or creation) when never signed in. */
export function idleForReport(account: { lastSignInAt: Date | null; activatedAt: Date | null; createdAt: Date }, now: Date, days = REPORT_IDLE_DAYS): boolean {
  const since = account.lastSignInAt ?? account.activatedAt ?? account.createdAt;
  return now.getTime() - since.getTime() > days * DAY_MS;
}
