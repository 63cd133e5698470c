import { and, eq, inArray } from "drizzle-orm";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Executor } from "../db/types";
import { chunked } from "./batches";

/** Who the jobs write to, found for many organisations in one query. */

export interface Person {
  id: string;
  fullName: string;
  email: string;
}

/** Active holders of any of the roles, in any of the organisations, grouped by organisation. */
async function holdersByOrganisation(tx: Executor, roleKeys: string[], organisationIds: string[]): Promise<Map<string, Person[]>> {
  const byOrganisation = new Map<string, Person[]>();
  if (roleKeys.length === 0 || organisationIds.length === 0) return byOrganisation;
  for (const chunk of chunked([...new Set(organisationIds)], 10_000)) {
    const rows = await tx
      .selectDistinct({ organisationId: accounts.organisationId, id: accounts.id, fullName: accounts.fullName, email: accounts.email })
      .from(accounts)
      .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
      .where(and(inArray(accounts.organisationId, chunk), eq(accounts.status, "active"), inArray(roleGrants.roleKey, roleKeys)));
    for (const row of rows) {
      const list = byOrganisation.get(row.organisationId) ?? [];
      list.push({ id: row.id, fullName: row.fullName, email: row.email });
      byOrganisation.set(row.organisationId, list);
    }
  }
  for (const list of byOrganisation.values()) list.sort((a, b) => a.email.localeCompare(b.email));
  return byOrganisation;
}

/** Each organisation's active Lead correspondents (UAP-A.2). */
export function leadCorrespondents(tx: Executor, config: PortalConfig, organisationIds: string[]): Promise<Map<string, Person[]>> {
  return holdersByOrganisation(tx, [config.leadRoleKey], organisationIds);
}

/**
 * The operator's team leads, to whom SLA breaches are escalated (CC-5): active operator accounts
 * holding a role that manages staff (grants "staff: edit") — Team lead in the council profile.
 */
export async function teamLeads(tx: Executor, config: PortalConfig): Promise<Person[]> {
  const keys = config.securityRoles.filter((r) => r.audience === "operator" && r.grants.staff === "edit").map((r) => r.key);
  if (keys.length === 0) return [];
  const rows = await tx
    .selectDistinct({ id: accounts.id, fullName: accounts.fullName, email: accounts.email })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(eq(accounts.audience, "operator"), eq(accounts.status, "active"), inArray(roleGrants.roleKey, keys)));
  return rows.sort((a, b) => a.email.localeCompare(b.email));
}

/** The Lead correspondents to copy on an email about `person`: everyone but the person. */
export function copyTo(leads: Person[] | undefined, person: { id: string }): string[] {
  return (leads ?? []).filter((lead) => lead.id !== person.id).map((lead) => lead.email);
}
