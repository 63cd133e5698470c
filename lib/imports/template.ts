import { stringify } from "csv-stringify/sync";
import type { PortalConfig } from "../config/schema";
import { importColumns } from "./columns";

/**
 * The downloadable template for bulk user requests (UCP-BULK-1): the header row only, so
 * nothing in it can be mistaken for a person. A byte-order mark makes Excel open it as UTF-8
 * (names with accents survive), and Windows line endings suit the spreadsheets it is opened in.
 */
export function importTemplateCsv(): string {
  const header = importColumns.filter((c) => c.inTemplate).map((c) => c.label);
  return `\uFEFF${stringify([header], { record_delimiter: "windows" })}`;
}

/** What each template column means, for the upload page's guidance. */
export function importTemplateGuide(config: Pick<PortalConfig, "securityRoles" | "leadRoleKey">): { column: string; guidance: string }[] {
  const roles = config.securityRoles.filter((r) => r.audience === "provider" && r.key !== config.leadRoleKey).map((r) => r.name);
  return importColumns
    .filter((c) => c.inTemplate)
    .map((c) => ({ column: c.label, guidance: c.field === "roles" ? `${c.hint} The roles are: ${roles.join(", ")}.` : c.hint }));
}

export const TEMPLATE_FILE_NAME = "bulk-user-requests-template.csv";
