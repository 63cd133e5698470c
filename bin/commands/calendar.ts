import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tz } from "@date-fns/tz";
import type { Command } from "commander";
import { format, formatISO, isValid, parseISO } from "date-fns";
import { z } from "zod";
import { BankHolidayFormatError, bankHolidaysDirFromEnv } from "../../lib/calendar/bank-holidays";
import { slaDueTime } from "../../lib/calendar/sla-due-time";
import { updateBankHolidays, type BankHolidaysUpdate } from "../../lib/calendar/update-bank-holidays";
import { getConfig } from "../../lib/config";
import { AppError } from "../../lib/errors";
import { action, emit } from "../output";

/** Where GOV.UK publishes the bank holidays of all three UK divisions. */
export const GOV_UK_BANK_HOLIDAYS_URL = "https://www.gov.uk/bank-holidays.json";
/** The lists shipped with the code (lib/calendar/bank-holidays), the default folder to update. */
const shippedDir = fileURLToPath(new URL("../../lib/calendar/bank-holidays/", import.meta.url));

const dueOptions = z.object({
  from: z.string().trim().min(1, "give the time the request was received"),
  days: z.coerce.number().int("must be a whole number of working days").min(0).max(365).optional(),
  json: z.boolean().optional(),
});

const updateOptions = z.object({
  file: z.string().trim().min(1).optional(),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) address" }),
  dir: z.string().trim().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
});

/**
 * `portal calendar due` — the SLA due time of a request (CC-5, UCP-HD-1), as the portal works it out.
 * `portal calendar update-bank-holidays` — loads GOV.UK's bank holidays into the portal's lists.
 */
export function registerCalendar(program: Command): void {
  const calendar = program.command("calendar").description("Service hours, bank holidays and SLA due times");

  calendar
    .command("due")
    .description("When a request received at --from falls due: working days of service hours, skipping bank holidays")
    .requiredOption("--from <instant>", "when it was received, ISO 8601 (2026-12-18T16:30:00Z); without an offset, in the service's time zone")
    .option("--days <n>", "working days (default: the configured requests.slaWorkingDays)")
    .option("--json", "print one JSON document")
    .action(
      action((raw: Record<string, unknown>) => {
        const options = parse(dueOptions, raw);
        const { requests } = getConfig();
        const zone = tz(requests.serviceHours.timeZone);
        // A plain Date: parsing in the zone gives a TZDate, whose toISOString keeps the offset.
        const receivedAt = new Date(parseISO(options.from, { in: zone }).getTime());
        if (!isValid(receivedAt)) {
          const message = `"${options.from}" is not a date and time; write it as ISO 8601, e.g. 2026-12-18T16:30:00Z or 2026-12-18T16:30 (${requests.serviceHours.timeZone}).`;
          throw new AppError("validation", message, message, { from: message });
        }
        const sla = slaDueTime({ receivedAt, requests, days: options.days });
        const result = {
          receivedAt: sla.receivedAt.toISOString(),
          clockStartsAt: sla.clockStartsAt.toISOString(),
          dueAt: sla.dueAt.toISOString(),
          dueAtLocal: formatISO(sla.dueAt, { in: zone }),
          workingDays: sla.workingDays,
          timeZone: sla.timeZone,
          serviceHours: sla.serviceHours,
          bankHolidayDivision: sla.division,
          bankHolidaysKnownUntil: sla.bankHolidaysKnownUntil,
          beyondKnownBankHolidays: sla.beyondKnownBankHolidays,
        };
        const local = (date: Date) => format(date, "EEE d MMM yyyy HH:mm", { in: zone });
        emit(options, result, () =>
          [
            `Received:      ${local(sla.receivedAt)} (${sla.timeZone})`,
            `Clock starts:  ${local(sla.clockStartsAt)}`,
            `Due:           ${local(sla.dueAt)}`,
            `(${sla.workingDays} working days of ${sla.serviceHours.start}–${sla.serviceHours.end} on service days, skipping ${sla.division} bank holidays)`,
            ...(sla.beyondKnownBankHolidays
              ? [`Warning: the portal knows ${sla.division} bank holidays only until ${sla.bankHolidaysKnownUntil}; run \`portal calendar update-bank-holidays\`.`]
              : []),
          ].join("\n"),
        );
      }),
    );

  calendar
    .command("update-bank-holidays")
    .description(
      "Load GOV.UK's bank holidays (downloaded, or --file) into the lists the SLA clock uses, merged with what is there, " +
        "and say how many dates each division gained. Writes to --dir, else PORTAL_BANK_HOLIDAYS_DIR, else the shipped lib/calendar/bank-holidays.",
    )
    .option("--file <path>", "a GOV.UK bank-holidays JSON file on this machine (instead of downloading it)")
    .option("--url <url>", "where to download the file from", GOV_UK_BANK_HOLIDAYS_URL)
    .option("--dir <path>", "the folder to write <division>.json into")
    .option("--dry-run", "say what would change without writing anything")
    .option("--json", "print one JSON document")
    .action(
      action(async (raw: Record<string, unknown>) => {
        const options = parse(updateOptions, raw);
        const dir = path.resolve(options.dir ?? bankHolidaysDirFromEnv() ?? shippedDir);
        const source = options.file ? { file: path.resolve(options.file) } : { url: options.url };
        const text = source.file ? await readSourceFile(source.file) : await download(options.url);
        let update: BankHolidaysUpdate;
        try {
          update = await updateBankHolidays({ source: text, dir, dryRun: options.dryRun });
        } catch (error) {
          if (!(error instanceof BankHolidayFormatError)) throw error;
          throw new AppError("validation", error.message, `${source.file ?? source.url}: ${error.message}`);
        }
        emit(options, { source, ...update }, () => describeUpdate(update, dir === path.resolve(shippedDir)));
      }),
    );
}

function describeUpdate(update: BankHolidaysUpdate, shipped: boolean): string {
  const lines = update.divisions.map(
    (d) =>
      `${d.division}: ${d.added} added, ${d.removed} removed, ${d.changed} changed; ${d.total} dates, known until ${d.knownUntil}` +
      (d.written ? ` (wrote ${d.file})` : update.dryRun ? " (dry run: not written)" : " (no change)"),
  );
  if (update.dryRun) lines.push("Dry run: nothing was written.");
  else if (shipped) lines.push("Updated the shipped lists: commit lib/calendar/bank-holidays/*.json; the portal uses them from its next build.");
  else lines.push(`The portal reads these lists when PORTAL_BANK_HOLIDAYS_DIR=${update.dir}; it picks up a changed file without a restart.`);
  return lines.join("\n");
}

async function readSourceFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : (error as Error).message;
    throw new AppError("not_found", `could not read ${file}: ${reason}`, `Could not read the bank holidays file ${file}: ${reason}.`);
  }
}

async function download(url: string): Promise<string> {
  let reason: string;
  try {
    const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
    if (response.ok) return await response.text();
    reason = `the server answered ${response.status} ${response.statusText}`.trim();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    reason = cause?.message ?? cause?.code ?? (error as Error).message;
  }
  throw new AppError(
    "not_found",
    `could not download ${url}: ${reason}`,
    `Could not download the bank holidays from ${url} (${reason}). If this machine cannot reach the internet, ` +
      `download the file elsewhere and run: portal calendar update-bank-holidays --file PATH`,
  );
}

/** Parses a command's options with its schema; a bad option becomes a validation error naming it. */
function parse<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) fieldErrors[`--${String(issue.path[0] ?? "options").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] ??= issue.message;
  const message = Object.entries(fieldErrors)
    .map(([option, problem]) => `${option}: ${problem}`)
    .join("; ");
  throw new AppError("validation", message, `Check the options: ${message}.`, fieldErrors);
}
