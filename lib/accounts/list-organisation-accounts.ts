import { asc, eq, inArray } from "drizzle-orm";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Executor } from "../db/types";

export interface OrganisationAccount {
  id: string;
  fullName: string;
  email: string;
  status: "pending" | "active" | "suspended";
  jobTitle: string | null;
  roleKeys: string[];
  lastSignInAt: Date | null;
  endDate: string | null;
  igTrainingDate: string | null;
}

/**
 * "Our users": every account of one organisation, with its roles (two queries, however many
 * accounts). The caller has already checked the viewer may see this organisation's users.
 */
export async function listOrganisationAccounts(db: Executor, organisationId: string): Promise<OrganisationAccount[]> {
  const rows = await db
    .select({
      id: accounts.id,
      fullName: accounts.fullName,
      email: accounts.email,
      status: accounts.status,
      jobTitle: accounts.jobTitle,
      lastSignInAt: accounts.lastSignInAt,
      endDate: accounts.endDate,
      igTrainingDate: accounts.igTrainingDate,
    })
    .from(accounts)
    .where(eq(accounts.organisationId, organisationId))
    .orderBy(asc(accounts.fullName), asc(accounts.email));
  if (rows.length === 0) return [];
  const grants = await db
    .select({ accountId: roleGrants.accountId, roleKey: roleGrants.roleKey })
    .from(roleGrants)
    .where(inArray(
      roleGrants.accountId,
      rows.map((r) => r.id),
    ));
  const byAccount = new Map<string, string[]>();
  for (const g of grants) byAccount.set(g.accountId, [...(byAccount.get(g.accountId) ?? []), g.roleKey]);
  return rows.map((r) => ({ ...r, roleKeys: (byAccount.get(r.id) ?? []).sort() }));
}
