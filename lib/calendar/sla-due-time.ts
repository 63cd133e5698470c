import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import type { PortalConfig } from "../config/schema";
import type { Env } from "../env";
import { bankHolidayDates, bankHolidaysKnownUntil, type BankHolidayDivision } from "./bank-holidays";
import { addWorkingDays, serviceClockStart, type ServiceHours } from "./working-time";

export interface SlaDueTime {
  receivedAt: Date;
  /** When the SLA clock starts: receipt, or the next opening when received outside service hours. */
  clockStartsAt: Date;
  dueAt: Date;
  workingDays: number;
  timeZone: string;
  serviceHours: ServiceHours;
  division: BankHolidayDivision;
  /** The last bank holiday the portal knows for the division (YYYY-MM-DD). */
  bankHolidaysKnownUntil: string;
  /** True when the due date lies past that: later bank holidays were not skipped. */
  beyondKnownBankHolidays: boolean;
}

/**
 * When a request received at `receivedAt` falls due (CC-5): the configured number of working
 * days (or `days`) of service time (UCP-HD-1), skipping the configured division's bank holidays.
 */
export function slaDueTime(options: {
  receivedAt: Date;
  requests: Pick<PortalConfig["requests"], "slaWorkingDays" | "serviceHours" | "bankHolidayDivision">;
  days?: number;
  env?: Env;
}): SlaDueTime {
  const { receivedAt, requests } = options;
  const workingDays = options.days ?? requests.slaWorkingDays;
  const hours = requests.serviceHours;
  const division = requests.bankHolidayDivision;
  const holidays = bankHolidayDates(division, { env: options.env });
  const dueAt = addWorkingDays(receivedAt, workingDays, hours, holidays);
  const knownUntil = bankHolidaysKnownUntil(division, { env: options.env });
  return {
    receivedAt,
    clockStartsAt: serviceClockStart(receivedAt, hours, holidays),
    dueAt,
    workingDays,
    timeZone: hours.timeZone,
    serviceHours: hours,
    division,
    bankHolidaysKnownUntil: knownUntil,
    beyondKnownBankHolidays: format(dueAt, "yyyy-MM-dd", { in: tz(hours.timeZone) }) > knownUntil,
  };
}
