/**
 * The columns of a bulk user request (UCP-BULK-1): what each is called in the template, the
 * other names people give it in real spreadsheets, and how a header row is matched to them.
 * Pure: unit-tested without a database.
 */

export const importFields = [
  "fullName",
  "firstName",
  "lastName",
  "email",
  "jobTitle",
  "roles",
  "registrationBody",
  "registrationNumber",
  "endDate",
  "purpose",
  "igTrainingDate",
  "temporary",
  "emailAttested",
] as const;
export type ImportField = (typeof importFields)[number];

/** One data row of a file: its row number as a spreadsheet shows it, and its values by field. */
export interface ImportRow {
  row: number;
  values: Partial<Record<ImportField, string>>;
}

export interface ImportColumn {
  field: ImportField;
  /** The header the template uses, and the name errors give the column. */
  label: string;
  /** Other headers read as this column (compared ignoring case, spaces and punctuation). */
  synonyms: string[];
  /** In the downloadable template. */
  inTemplate: boolean;
  /** What the template's guidance says about the column. */
  hint: string;
}

export const importColumns: readonly ImportColumn[] = [
  { field: "fullName", label: "Full name", synonyms: ["Name", "Staff name", "Employee name", "User's name", "Full name of user"], inTemplate: true, hint: "The person's full name." },
  { field: "firstName", label: "First name", synonyms: ["Forename", "Given name", "First names"], inTemplate: false, hint: "" },
  { field: "lastName", label: "Last name", synonyms: ["Surname", "Family name"], inTemplate: false, hint: "" },
  {
    field: "email",
    label: "Email address",
    synonyms: ["Email", "E-mail", "E-mail address", "Work email", "Work email address", "Email addr", "NHSmail", "NHS mail address"],
    inTemplate: true,
    hint: "The address only this person uses. Shared mailboxes and personal webmail are refused.",
  },
  { field: "jobTitle", label: "Job title", synonyms: ["Role title", "Job role", "Position", "Job", "Post"], inTemplate: true, hint: "Their job title. It suggests a security role when the Security role column is empty." },
  {
    field: "roles",
    label: "Security role",
    synonyms: ["Role", "Roles", "Security roles", "Access role", "Portal role", "Access level"],
    inTemplate: true,
    hint: "The security role's name, or several separated by semicolons. Leave empty to use the role the job title suggests.",
  },
  { field: "registrationBody", label: "Registration body", synonyms: ["Professional body", "Regulator", "Registering body", "Regulatory body"], inTemplate: true, hint: "Needed for a clinical role, for example NMC." },
  {
    field: "registrationNumber",
    label: "Registration number",
    synonyms: ["Professional registration number", "Registration no", "Reg number", "Reg no", "PIN", "NMC PIN", "Registration ID"],
    inTemplate: true,
    hint: "Needed for a clinical role.",
  },
  { field: "endDate", label: "End date", synonyms: ["Access end date", "Leaving date", "Contract end date", "Access ends", "End"], inTemplate: true, hint: "For temporary staff: the day access ends, as 31/12/2027 or 2027-12-31." },
  {
    field: "purpose",
    label: "Purpose",
    synonyms: ["Reason", "Reason for access", "Purpose of access", "Why access is needed", "Access reason", "Business need"],
    inTemplate: true,
    hint: "Why the person needs access: the direct care of the people you support.",
  },
  {
    field: "igTrainingDate",
    label: "IG training date",
    synonyms: ["Information governance training date", "IG training", "IG training completed", "Date of IG training", "IG training completion date", "Training date"],
    inTemplate: true,
    hint: "When they last completed information governance training, if known.",
  },
  { field: "temporary", label: "Temporary", synonyms: ["Temporary staff", "Temp", "Temporary (yes/no)", "Agency or bank"], inTemplate: true, hint: "Yes for agency, bank or fixed-term staff (they need an end date)." },
  {
    field: "emailAttested",
    label: "Email confirmed",
    synonyms: ["Email attested", "Email suitable", "Attested", "Address confirmed"],
    inTemplate: true,
    hint: "Yes to confirm that an address outside the accepted domains is used only by this person.",
  },
];

export const columnFor: Record<ImportField, ImportColumn> = Object.fromEntries(importColumns.map((c) => [c.field, c])) as Record<ImportField, ImportColumn>;

/** The columns a file must have (a person's name may come as First name + Last name). */
export const requiredFields: readonly ImportField[] = ["fullName", "email", "jobTitle", "purpose"];

/**
 * The comparable form of a header: hints in brackets and required-field stars dropped, lower
 * case, letters and digits only ("E-mail address *" and "Email Address (work)" both read
 * "emailaddress").
 */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\([^)]*\)|\[[^\]]*\]/g, "")
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

const fieldByKey = new Map<string, ImportField>();
for (const column of importColumns) {
  for (const name of [column.label, ...column.synonyms]) fieldByKey.set(headerKey(name), column.field);
}
// "Temporary (yes/no)" loses its bracket: keep the plain word too.
fieldByKey.set("temporary", "temporary");

/** The field a header names, or null. */
export function fieldForHeader(header: string): ImportField | null {
  return fieldByKey.get(headerKey(header)) ?? null;
}

export interface HeaderMatch {
  /** Column index → field, for the recognised columns. */
  fields: Map<number, ImportField>;
  /** Headers that name no field (their values are ignored). */
  ignored: string[];
  /** A field named by more than one column: the import cannot tell which to use. */
  repeated: { field: ImportField; headers: string[] }[];
}

/** Matches one row of cells to the fields. */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const fields = new Map<number, ImportField>();
  const ignored: string[] = [];
  const seen = new Map<ImportField, string[]>();
  cells.forEach((cell, index) => {
    const text = cleanCell(cell);
    if (text === "") return;
    const field = fieldForHeader(text);
    if (!field) {
      ignored.push(text);
      return;
    }
    seen.set(field, [...(seen.get(field) ?? []), text]);
    if (!fields.has(index) && (seen.get(field)?.length ?? 0) === 1) fields.set(index, field);
  });
  const repeated = [...seen.entries()].filter(([, headers]) => headers.length > 1).map(([field, headers]) => ({ field, headers }));
  return { fields, ignored, repeated };
}

/** How many of the required fields a header row names (a person's name counts once). */
export function headerScore(match: HeaderMatch): number {
  const named = new Set(match.fields.values());
  let score = named.size;
  if (named.has("firstName") && named.has("lastName") && !named.has("fullName")) score -= 1;
  return score;
}

/** The required fields a header row lacks (First name + Last name stand for Full name). */
export function missingFields(match: HeaderMatch): ImportField[] {
  const named = new Set(match.fields.values());
  return requiredFields.filter((field) => !(named.has(field) || (field === "fullName" && named.has("firstName") && named.has("lastName"))));
}

/**
 * A cell as text people meant: non-breaking and other odd spaces read as spaces, zero-width
 * characters and a stray byte-order mark dropped, runs of spaces squashed, ends trimmed.
 */
export function cleanCell(value: string): string {
  return value
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, " ")
    .trim();
}
