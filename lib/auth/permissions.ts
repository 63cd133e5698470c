import { eq } from "drizzle-orm";
import type { AccessLevel, InformationKind, PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export type Grants = Partial<Record<InformationKind, AccessLevel>>;

/** The signed-in person as every permission check sees them. */
export interface Viewer {
  accountId: string;
  sessionId: string;
  fullName: string;
  email: string;
  audience: "provider" | "operator";
  organisationId: string;
  organisationName: string;
  roleKeys: string[];
  grants: Grants;
  /** May request account changes for their organisation (AUP-6.3, CC-4). */
  isAuthoriser: boolean;
}

/** The union of what the roles grant; edit includes read. Roles missing from configuration grant nothing. */
export function grantsFor(config: PortalConfig, roleKeys: readonly string[]): Grants {
  const grants: Grants = {};
  for (const key of roleKeys) {
    const role = config.securityRoles.find((r) => r.key === key);
    if (!role) continue;
    for (const [kind, level] of Object.entries(role.grants) as [InformationKind, AccessLevel][]) {
      if (grants[kind] !== "edit") grants[kind] = level;
    }
  }
  return grants;
}

/** AUP-5.1d / UAP-2.3: may the viewer read (or edit) this kind of information? */
export function can(viewer: Pick<Viewer, "grants">, kind: InformationKind, level: AccessLevel = "read"): boolean {
  const held = viewer.grants[kind];
  return held === "edit" || (held === "read" && level === "read");
}

/**
 * Throws "forbidden" (shown as page-not-found, AUP-5.2d) unless the viewer holds the kind at
 * the level. Surfaces audit the refusal.
 */
export function requirePermission(viewer: Viewer, kind: InformationKind, level: AccessLevel = "read"): void {
  if (!can(viewer, kind, level)) {
    throw new AppError("forbidden", `${viewer.email} lacks ${level} on ${kind}`, "Page not found");
  }
}

/** Loads the viewer for a live session's account; null if the account is not active. */
export async function loadViewer(db: Executor, config: PortalConfig, session: { accountId: string; sessionId: string }): Promise<Viewer | null> {
  const [row] = await db
    .select({ account: accounts, organisationName: organisations.name })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.organisationId))
    .where(eq(accounts.id, session.accountId))
    .limit(1);
  if (!row || row.account.status !== "active") return null;
  const roles = await db.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, session.accountId));
  const roleKeys = roles.map((r) => r.roleKey);
  const audienceRoles = roleKeys.filter((k) => config.securityRoles.find((r) => r.key === k)?.audience === row.account.audience);
  return {
    accountId: row.account.id,
    sessionId: session.sessionId,
    fullName: row.account.fullName,
    email: row.account.email,
    audience: row.account.audience,
    organisationId: row.account.organisationId,
    organisationName: row.organisationName,
    roleKeys: audienceRoles,
    grants: grantsFor(config, audienceRoles),
    isAuthoriser: audienceRoles.some((k) => config.securityRoles.find((r) => r.key === k)?.authoriser),
  };
}
