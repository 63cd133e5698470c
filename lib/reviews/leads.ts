import { and, asc, eq, inArray } from "drizzle-orm";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Executor } from "../db/types";

export interface LeadCorrespondent {
  organisationId: string;
  accountId: string;
  fullName: string;
  email: string;
}

/** The active Lead correspondents of several organisations at once (one query), grouped by organisation. */
export async function leadCorrespondents(db: Executor, config: PortalConfig, organisationIds: readonly string[]): Promise<Map<string, LeadCorrespondent[]>> {
  const byOrganisation = new Map<string, LeadCorrespondent[]>();
  if (organisationIds.length === 0) return byOrganisation;
  const rows = await db
    .select({ organisationId: accounts.organisationId, accountId: accounts.id, fullName: accounts.fullName, email: accounts.email })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(inArray(accounts.organisationId, [...new Set(organisationIds)]), eq(accounts.status, "active"), eq(accounts.audience, "provider"), eq(roleGrants.roleKey, config.leadRoleKey)))
    .orderBy(asc(accounts.fullName), asc(accounts.email));
  for (const row of rows) byOrganisation.set(row.organisationId, [...(byOrganisation.get(row.organisationId) ?? []), row]);
  return byOrganisation;
}
