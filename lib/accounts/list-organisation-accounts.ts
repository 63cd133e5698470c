import { and, asc, count, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { escapeLike } from "../audit/search-audit";
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

/** The columns "Our users" shows, before the roles are added. */
const accountColumns = {
  id: accounts.id,
  fullName: accounts.fullName,
  email: accounts.email,
  status: accounts.status,
  jobTitle: accounts.jobTitle,
  lastSignInAt: accounts.lastSignInAt,
  endDate: accounts.endDate,
  igTrainingDate: accounts.igTrainingDate,
};

/**
 * "Our users": every account of one organisation, with its roles (two queries, however many
 * accounts). The caller has already checked the viewer may see this organisation's users.
 */
export async function listOrganisationAccounts(db: Executor, organisationId: string): Promise<OrganisationAccount[]> {
  const rows = await db
    .select(accountColumns)
    .from(accounts)
    .where(eq(accounts.organisationId, organisationId))
    .orderBy(asc(accounts.fullName), asc(accounts.email));
  return withRoles(db, rows);
}

/** Rows a page of "Our users" shows: a few hundred accounts in one table is slow to render and to read. */
export const OUR_USERS_PAGE_SIZE = 50;

export const accountStatuses = ["active", "pending", "suspended"] as const;

export interface OrganisationAccountFilters {
  /** Any part of a name or an email address, ignoring case. */
  search?: string;
  status?: (typeof accountStatuses)[number];
  page?: number;
  pageSize?: number;
}

export interface OrganisationAccountPage {
  accounts: OrganisationAccount[];
  /** Accounts matching the filters, on every page. */
  total: number;
  page: number;
  pageCount: number;
}

/**
 * One page of "Our users" (UAP-2.3), by name then email, optionally narrowed by a search on
 * name or email and by status: a count and a page of rows, then their roles. A page past the
 * last shows the last. The caller has already checked the viewer may see these users.
 */
export async function listOrganisationAccountsPage(db: Executor, organisationId: string, filters: OrganisationAccountFilters = {}): Promise<OrganisationAccountPage> {
  const pageSize = filters.pageSize ?? OUR_USERS_PAGE_SIZE;
  const conditions: SQL[] = [eq(accounts.organisationId, organisationId)];
  const search = filters.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    conditions.push(or(ilike(accounts.fullName, pattern), ilike(accounts.email, pattern))!);
  }
  if (filters.status) conditions.push(eq(accounts.status, filters.status));
  const where = and(...conditions);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(accounts).where(where);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pageCount);
  const rows = await db
    .select(accountColumns)
    .from(accounts)
    .where(where)
    .orderBy(asc(accounts.fullName), asc(accounts.email), asc(accounts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { accounts: await withRoles(db, rows), total, page, pageCount };
}

async function withRoles(db: Executor, rows: Omit<OrganisationAccount, "roleKeys">[]): Promise<OrganisationAccount[]> {
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
