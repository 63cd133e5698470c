import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  formatBankHolidayFile,
  parseGovUkBankHolidays,
  readBankHolidayFile,
  shippedBankHolidays,
  type BankHolidayDivision,
} from "./bank-holidays";
import { mergeBankHolidays } from "./merge-bank-holidays";

export interface DivisionUpdate {
  division: BankHolidayDivision;
  /** The file written (or that would be, on a dry run). */
  file: string;
  added: number;
  removed: number;
  changed: number;
  /** Dates in the division's list after the update. */
  total: number;
  /** The last date the list now covers. */
  knownUntil: string;
  addedDates: string[];
  removedDates: string[];
  /** False when the file already said exactly this. */
  written: boolean;
}

export interface BankHolidaysUpdate {
  dir: string;
  dryRun: boolean;
  divisions: DivisionUpdate[];
}

/**
 * Loads a GOV.UK bank-holidays file (its JSON text or parsed value, all divisions or one) into
 * the folder `dir`, one <division>.json a division, each merged with what the portal knew
 * before (see mergeBankHolidays). What it knew is the shipped list with `dir`'s own file over
 * it, which is what the loader reads when PORTAL_BANK_HOLIDAYS_DIR names `dir` — and, for the
 * shipped folder itself, simply the shipped list. Divisions the source lacks are left alone.
 *
 * Throws BankHolidayFormatError, naming the first bad field, before writing anything.
 */
export async function updateBankHolidays(options: { source: unknown; dir: string; dryRun?: boolean }): Promise<BankHolidaysUpdate> {
  const dir = path.resolve(options.dir);
  const dryRun = options.dryRun ?? false;
  const incoming = parseGovUkBankHolidays(options.source);

  const plans = incoming.map((list) => {
    const file = path.join(dir, `${list.division}.json`);
    const existing = readBankHolidayFile(file, list.division);
    const shipped = shippedBankHolidays(list.division);
    const current = existing ? mergeBankHolidays(shipped, existing).list : shipped;
    return { file, merge: mergeBankHolidays(current, list) };
  });

  const divisions: DivisionUpdate[] = [];
  if (!dryRun) await mkdir(dir, { recursive: true });
  for (const { file, merge } of plans) {
    const text = formatBankHolidayFile(merge.list);
    const before = await readFile(file, "utf8").catch(() => undefined);
    const written = !dryRun && before !== text;
    if (written) await writeAtomically(file, text);
    divisions.push({
      division: merge.list.division,
      file,
      added: merge.added.length,
      removed: merge.removed.length,
      changed: merge.changed.length,
      total: merge.list.events.length,
      knownUntil: merge.list.events.at(-1)?.date ?? "0000-00-00",
      addedDates: merge.added.map((event) => event.date),
      removedDates: merge.removed.map((event) => event.date),
      written,
    });
  }
  return { dir, dryRun, divisions };
}

// A reader (the running portal) sees the old file or the new one, never half of one.
async function writeAtomically(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, "utf8");
  await rename(partial, file);
}
