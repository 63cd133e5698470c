import type { PortalConfig } from "../config/schema";

type RoleCatalogue = Pick<PortalConfig, "securityRoles" | "jobTitleRoles">;

/**
 * The security role a job title suggests, from the configured mapping (UCP-RBAC-2), or null
 * when the title is not in it. Titles match ignoring case, punctuation and spacing, so
 * "A & E liaison officer", "A&E Liaison Officer." and "Access Coordinator" / "Access
 * Co-ordinator" find their rows. Only a suggestion: the Lead correspondent still chooses.
 */
export function suggestRole(jobTitle: string, config: RoleCatalogue): string | null {
  const wanted = jobTitleKey(jobTitle);
  if (wanted === "") return null;
  for (const entry of config.jobTitleRoles) {
    if (jobTitleKey(entry.jobTitle) !== wanted) continue;
    // The schema checks the key exists, but a role may have been withdrawn by an override.
    if (config.securityRoles.some((role) => role.key === entry.roleKey)) return entry.roleKey;
  }
  return null;
}

/**
 * Whether holding the role needs a recorded professional registration (body and number),
 * as a clinical role does (UCP-RBAC-3). An unknown role needs none: it cannot be granted.
 */
export function roleNeedsRegistration(roleKey: string, config: Pick<PortalConfig, "securityRoles">): boolean {
  return config.securityRoles.find((role) => role.key === roleKey)?.clinical === true;
}

/**
 * The comparable form of a job title: lower case, accents dropped, "&" read as "and", and
 * everything but letters and digits removed, so spacing and punctuation never decide a match.
 */
export function jobTitleKey(jobTitle: string): string {
  return jobTitle
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}
