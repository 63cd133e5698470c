import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { licenceAllocations } from "../db/schema/organisations";
import { requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { openStatuses, type LicenceUse } from "./rules";

/** The licence year an instant falls in (the calendar year, as allocations are recorded). */
export function licenceYear(at: Date): number {
  return at.getUTCFullYear();
}

/**
 * CC-2a: an organisation's allocation for the year (its row, or the configured default) and
 * the licences in use: accounts not suspended, plus new-user requests still open (each will
 * become an account). `includeOpenRequests: false` counts accounts only (at approval, when
 * the request being approved is one of the open ones).
 */
export async function licenceUse(
  db: Executor,
  config: PortalConfig,
  organisationId: string,
  year: number,
  options: { includeOpenRequests?: boolean } = {},
): Promise<LicenceUse & { year: number; alertedPercent: number | null; hasRow: boolean }> {
  const [row] = await db
    .select({ allocation: licenceAllocations.allocation, alertedAt: licenceAllocations.alertedAt })
    .from(licenceAllocations)
    .where(and(eq(licenceAllocations.organisationId, organisationId), eq(licenceAllocations.year, year)));
  const [held] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(accounts)
    .where(and(eq(accounts.organisationId, organisationId), eq(accounts.audience, "provider"), ne(accounts.status, "suspended")));
  let requested = 0;
  if (options.includeOpenRequests !== false) {
    const [open] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(requests)
      .where(and(eq(requests.organisationId, organisationId), eq(requests.type, "new_user"), inArray(requests.status, [...openStatuses])));
    requested = open?.n ?? 0;
  }
  return {
    year,
    allocation: row?.allocation ?? config.licences.defaultAllocation,
    used: (held?.n ?? 0) + requested,
    alertedPercent: row?.alertedAt ?? null,
    hasRow: !!row,
  };
}

/** Remembers that the threshold alert went out this year, creating the year's row if needed. */
export async function markLicenceAlerted(db: Executor, organisationId: string, year: number, allocation: number, percent: number): Promise<void> {
  await db
    .insert(licenceAllocations)
    .values({ organisationId, year, allocation, alertedAt: percent })
    .onConflictDoUpdate({ target: [licenceAllocations.organisationId, licenceAllocations.year], set: { alertedAt: percent, updatedAt: sql`now()` } });
}

/** The active accounts of an organisation holding an authoriser role (AUP-6.3, CC-4). */
export async function organisationAuthorisers(db: Executor, config: PortalConfig, organisationId: string): Promise<{ id: string; fullName: string; email: string }[]> {
  const keys = config.securityRoles.filter((r) => r.audience === "provider" && r.authoriser).map((r) => r.key);
  if (keys.length === 0) return [];
  return db
    .selectDistinct({ id: accounts.id, fullName: accounts.fullName, email: accounts.email })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(eq(accounts.organisationId, organisationId), eq(accounts.status, "active"), inArray(roleGrants.roleKey, keys)));
}
