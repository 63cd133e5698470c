import type { BankHolidayEvent, BankHolidayList } from "./bank-holidays";

export interface BankHolidayMerge {
  /** The merged list, sorted by date. */
  list: BankHolidayList;
  /** Dates the newer list brings that the current one lacked. */
  added: BankHolidayEvent[];
  /** Dates in the years the newer list covers that it no longer has (moved or withdrawn). */
  removed: BankHolidayEvent[];
  /** Dates in both whose title, notes or bunting changed; the newer version is kept. */
  changed: BankHolidayEvent[];
  /** The calendar years the newer list decided, or null when it has no events. */
  years: { from: number; to: number } | null;
}

/**
 * Merges a newer list for a division (say, GOV.UK's latest file) into the current one. Pure.
 *
 * The newer list decides the calendar years it spans, from its first event's year to its
 * last's: a date in those years that it lacks is removed, as happens when a holiday is moved
 * (the 2020 early May bank holiday moved to VE Day) or withdrawn. Years outside that span are
 * kept, because GOV.UK's file only reaches a few years back and old requests' SLA clocks must
 * not change when an update drops those years.
 */
export function mergeBankHolidays(current: BankHolidayList, incoming: BankHolidayList): BankHolidayMerge {
  if (current.division !== incoming.division) {
    throw new RangeError(`cannot merge the "${incoming.division}" bank holidays into the "${current.division}" list`);
  }
  const first = incoming.events.at(0);
  const last = incoming.events.at(-1);
  const years = first && last ? { from: yearOf(first.date), to: yearOf(last.date) } : null;
  const decided = (date: string) => years !== null && yearOf(date) >= years.from && yearOf(date) <= years.to;

  const before = new Map(current.events.map((event) => [event.date, event]));
  const after = new Map(incoming.events.map((event) => [event.date, event]));
  const added: BankHolidayEvent[] = [];
  const changed: BankHolidayEvent[] = [];
  const removed = current.events.filter((event) => decided(event.date) && !after.has(event.date));
  for (const event of incoming.events) {
    const old = before.get(event.date);
    if (!old) added.push(event);
    else if (old.title !== event.title || old.notes !== event.notes || old.bunting !== event.bunting) changed.push(event);
  }

  const kept = current.events.filter((event) => !decided(event.date) && !after.has(event.date));
  const events = [...kept, ...incoming.events].sort((a, b) => a.date.localeCompare(b.date));
  return { list: { division: current.division, events }, added, removed, changed, years };
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
