import { mergeConfig, validateConfig, type PortalConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";

/**
 * The council profile plus one clinical role ("Nurse", UCP-RBAC-3) and its job title, so the
 * registration rule can be exercised under the default profile's other settings.
 */
export function requestTestConfig(overrides: Record<string, unknown> = {}): PortalConfig {
  const base = validateConfig(councilProfile);
  return validateConfig(
    mergeConfig(councilProfile, {
      securityRoles: [
        ...base.securityRoles,
        { key: "nurse", name: "Nurse", audience: "provider", description: "Clinical notes.", grants: { queries: "edit", contacts: "read" }, clinical: true },
      ],
      jobTitleRoles: [...base.jobTitleRoles, { jobTitle: "Nurse", roleKey: "nurse" }],
      ...overrides,
    }),
  );
}
