import { sql } from "drizzle-orm";
import type { PortalConfig } from "../config";
import { securityRoles } from "../db/schema/accounts";
import type { Executor } from "../db/types";

/**
 * The catalogue in configuration is the truth; the table mirrors it so the database can
 * report on grants. A role removed from configuration stays in the table (old grants keep
 * their meaning in the record) but grants nothing, because permissions are read from configuration.
 */
export async function syncSecurityRoles(db: Executor, config: PortalConfig): Promise<void> {
  const rows = config.securityRoles.map((role) => ({
    key: role.key,
    name: role.name,
    audience: role.audience,
    description: role.description,
    grants: role.grants as Record<string, "read" | "edit">,
  }));
  await db
    .insert(securityRoles)
    .values(rows)
    .onConflictDoUpdate({
      target: securityRoles.key,
      set: {
        name: sql`excluded.name`,
        audience: sql`excluded.audience`,
        description: sql`excluded.description`,
        grants: sql`excluded.grants`,
        updatedAt: sql`now()`,
      },
    });
}
