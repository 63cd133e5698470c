import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Executor } from "../db/types";
import { checkEmail, normaliseEmail } from "../policy/email-policy";
import { suggestRole } from "../policy/job-title-roles";
import {
  checkNewUserRequester,
  existingAccountMessage,
  existingAccountsByEmail,
  openRequestMessage,
  openRequestsByEmail,
  type NewUserRequester,
  type RequestingOrganisation,
} from "../requests/check-new-user";
import { licenceUse, licenceYear } from "../requests/licences";
import { serviceDay } from "../requests/rules";
import { newUserSchema, type DetailsOf } from "../requests/schema";
import { columnFor, importColumns, type ImportField, type ImportRow } from "./columns";
import { readDate, readRoles, readYesNo } from "./values";

/**
 * Checks every row of a bulk user request (UCP-BULK-1) with the single new-user form's rules —
 * newUserSchema: named email (UAP-2.2, UCP-EMAIL-1), role or job-title mapping (UCP-RBAC-2),
 * registration for clinical roles (UCP-RBAC-3), purpose (CC-2b), dates (CC-7c) — and then
 * what only the whole file can show: the same person twice in the file, people who already
 * have an account or an open request, and licences for the batch (CC-2a). Reads only: the
 * per-row report a person sees before confirming, and the check importUsers repeats inside
 * its transaction.
 */

export interface RowProblem {
  /** The import column the problem is about, or "row" for the row as a whole. */
  field: ImportField | "row";
  /** The column's name as the template has it (null for the row). */
  column: string | null;
  message: string;
}

export interface RowReport {
  /** The spreadsheet row number (the header is usually row 1). */
  row: number;
  status: "ok" | "error";
  /** The address as it would be stored, or as written when it is not one. */
  email: string | null;
  fullName: string | null;
  /** The security roles that would be requested (names), for the report. */
  roles: string[];
  errors: RowProblem[];
  /** Set once the row has become a request. */
  reference?: string;
  requestId?: string;
}

export interface LicenceSummary {
  year: number;
  allocation: number;
  /** In use or requested before this file. */
  used: number;
  free: number;
  /** The threshold already alerted this year (CC-2a), so the batch alerts only on a new crossing. */
  alertedPercent: number | null;
}

export interface ImportCheck {
  organisation: RequestingOrganisation;
  /** The Lead correspondent (or other authoriser) asking. */
  requester: NewUserRequester;
  rows: RowReport[];
  summary: { rows: number; ok: number; errors: number };
  licence: LicenceSummary;
  /** Each ok row's request, parsed by the new-user schema, by row number: what importUsers submits. */
  details: Map<number, NewUserDetails>;
}

export type NewUserDetails = DetailsOf<"new_user">;

export interface CheckImportOptions {
  db: Executor;
  /** The Lead correspondent (or other authoriser) asking. */
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  organisationId: string;
  rows: ImportRow[];
}

export async function checkImport(options: CheckImportOptions): Promise<ImportCheck> {
  const { db, actor, clock, config, organisationId, rows } = options;
  const { organisation, requester } = await checkNewUserRequester(db, config, actor, organisationId);
  const today = serviceDay(clock.now(), config.requests.serviceHours.timeZone);
  const { reports, details } = checkRows({ rows, config, today, organisationId });

  // UAP-2.2 and the duplicate rule, against the database, for every address that is one.
  const emails = reports.map((r) => r.email).filter((e): e is string => !!e && checkEmail(e, config.email).verdict !== "invalid").map(normaliseEmail);
  const existing = await existingAccountsByEmail(db, emails);
  const open = await openRequestsByEmail(db, organisationId, emails);
  for (const report of reports) {
    if (!report.email) continue;
    const key = normaliseEmail(report.email);
    const account = existing.get(key);
    if (account) addProblem(report, details, "email", existingAccountMessage(report.email, account.status));
    else if (open.has(key)) addProblem(report, details, "email", openRequestMessage(open.get(key)!));
  }

  // CC-2a: the batch fits in the licences left, in file order.
  const use = await licenceUse(db, config, organisationId, licenceYear(clock.now()));
  const licence: LicenceSummary = { year: use.year, allocation: use.allocation, used: use.used, free: Math.max(0, use.allocation - use.used), alertedPercent: use.alertedPercent };
  let granted = 0;
  for (const report of reports) {
    if (report.status !== "ok") continue;
    if (granted < licence.free) {
      granted += 1;
      continue;
    }
    addProblem(
      report,
      details,
      "row",
      `No licence left for this person: ${organisation.name} has ${licence.free} of its ${licence.allocation} licences for ${licence.year} free, and the rows above use them. Ask for the suspension of accounts no longer needed, or contact ${config.operator.teamName} about the allocation`,
    );
  }

  const ok = reports.filter((r) => r.status === "ok").length;
  return { organisation, requester, rows: reports, summary: { rows: reports.length, ok, errors: reports.length - ok }, licence, details };
}

/**
 * The checks that need no database: each row with the single form's rules (newUserSchema), and
 * the same person twice in the file. Pure: unit-tested over the messy fixtures.
 */
export function checkRows(options: { rows: ImportRow[]; config: PortalConfig; today: string; organisationId?: string }): { reports: RowReport[]; details: Map<number, NewUserDetails> } {
  const { rows, config, today, organisationId } = options;
  const schema = newUserSchema({ config, today });
  const reports: RowReport[] = [];
  const details = new Map<number, NewUserDetails>();
  for (const row of rows) {
    const { input, problems } = rowToInput(row, config);
    const result = schema.safeParse({ ...input, organisationId });
    const flagged = new Set(problems.map((p) => p.field));
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = fieldOfPath(String(issue.path[0] ?? ""));
        if (flagged.has(field)) continue;
        const message = importMessage(field, issue.message, row, config);
        if (!problems.some((p) => p.field === field && p.message === message)) problems.push({ field, column: field === "row" ? null : columnFor[field].label, message });
      }
    }
    problems.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field));
    const check = row.values.email ? checkEmail(row.values.email, config.email) : null;
    const email = result.success ? result.data.email : (check?.normalised ?? row.values.email ?? null);
    const roleKeys = result.success ? result.data.roleKeys : [];
    reports.push({
      row: row.row,
      status: problems.length ? "error" : "ok",
      email,
      fullName: result.success ? result.data.fullName : (row.values.fullName ?? null),
      roles: roleKeys.map((key) => config.securityRoles.find((r) => r.key === key)?.name ?? key),
      errors: problems,
    });
    if (result.success && problems.length === 0) details.set(row.row, result.data);
  }

  // The same person twice in the file: every row naming them is in error, as which one is
  // meant cannot be told.
  const byEmail = new Map<string, number[]>();
  for (const report of reports) {
    const key = report.email ? normaliseEmail(report.email) : "";
    if (key) byEmail.set(key, [...(byEmail.get(key) ?? []), report.row]);
  }
  for (const report of reports) {
    const seen = report.email ? byEmail.get(normaliseEmail(report.email)) : undefined;
    if (seen && seen.length > 1) {
      addProblem(report, details, "email", `${report.email} is in the file more than once (rows ${joinAnd(seen.map(String))}). Each person needs one row`);
    }
  }
  return { reports, details };
}

function addProblem(report: RowReport, details: Map<number, unknown>, field: RowProblem["field"], message: string): void {
  report.errors.push({ field, column: field === "row" ? null : columnFor[field].label, message });
  report.status = "error";
  details.delete(report.row);
}

/**
 * A row's values as the single new-user form would post them, and the problems found reading
 * them (a date that is no date, an unknown role name, yes/no that is neither). Pure.
 */
export function rowToInput(row: ImportRow, config: PortalConfig): { input: Record<string, unknown>; problems: RowProblem[] } {
  const v = row.values;
  const problems: RowProblem[] = [];
  const problem = (field: ImportField, message: string) => problems.push({ field, column: columnFor[field].label, message });

  const endDate = readDate(v.endDate, "End date");
  if (!endDate.ok) problem("endDate", endDate.message);
  const igTrainingDate = readDate(v.igTrainingDate, "IG training date");
  if (!igTrainingDate.ok) problem("igTrainingDate", igTrainingDate.message);
  const temporary = readYesNo(v.temporary, "Temporary");
  if (!temporary.ok) problem("temporary", temporary.message);
  const attested = readYesNo(v.emailAttested, "Email confirmed");
  if (!attested.ok) problem("emailAttested", attested.message);
  const roles = readRoles(v.roles, config);
  if (roles.unknown.length > 0) {
    const names = providerRoleNames(config);
    problem("roles", `${roles.unknown.map((u) => `"${u}"`).join(" and ")} ${roles.unknown.length === 1 ? "is not a security role" : "are not security roles"}. Use ${names.length === 1 ? "" : "one of "}${names.join(", ")}, or leave it empty to use the role the job title suggests`);
  }

  return {
    input: {
      type: "new_user",
      fullName: v.fullName ?? "",
      email: v.email ?? "",
      emailAttested: attested.ok && attested.value,
      jobTitle: v.jobTitle ?? "",
      // An unknown role is reported above; the known ones still go through the schema's rules.
      roleKeys: roles.keys,
      registrationBody: v.registrationBody ?? "",
      registrationNumber: v.registrationNumber ?? "",
      purpose: v.purpose ?? "",
      temporary: temporary.ok && temporary.value,
      endDate: endDate.ok ? (endDate.iso ?? "") : "",
      igTrainingDate: igTrainingDate.ok ? (igTrainingDate.iso ?? "") : "",
    },
    problems,
  };
}

const schemaFields: Record<string, ImportField> = {
  fullName: "fullName",
  email: "email",
  emailAttested: "emailAttested",
  jobTitle: "jobTitle",
  roleKeys: "roles",
  registrationBody: "registrationBody",
  registrationNumber: "registrationNumber",
  purpose: "purpose",
  temporary: "temporary",
  endDate: "endDate",
  igTrainingDate: "igTrainingDate",
};

/** Problems are listed in the template's column order, the row's own last. */
function fieldOrder(field: ImportField | "row"): number {
  const index = importColumns.findIndex((c) => c.field === field);
  return index < 0 ? importColumns.length : index;
}

function fieldOfPath(path: string): ImportField | "row" {
  return schemaFields[path] ?? "row";
}

/** The form's words where a spreadsheet needs others (there is no list to select from). */
function importMessage(field: ImportField | "row", message: string, row: ImportRow, config: PortalConfig): string {
  if (field === "roles" && message.startsWith("Select the security role")) {
    const title = row.values.jobTitle;
    const suggested = title ? suggestRole(title, config) : null;
    return title && !suggested
      ? `Enter a security role: the job title "${title}" does not suggest one. Use ${providerRoleNames(config).join(", ")}`
      : "Enter a security role, or a job title that suggests one";
  }
  if (field === "roles" && message.startsWith("Select a security role from the list")) {
    return `${message.replace(/^Select a security role from the list \((.*)\)$/, "$1")}. Use ${providerRoleNames(config).join(", ")}`;
  }
  if (field === "emailAttested") {
    return `${message}: put "yes" in the Email confirmed column`;
  }
  return message;
}

function providerRoleNames(config: PortalConfig): string[] {
  return config.securityRoles.filter((r) => r.audience === "provider" && r.key !== config.leadRoleKey).map((r) => r.name);
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
