import { and, asc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { accounts } from "../db/schema/accounts";
import { organisationCases } from "../db/schema/organisation-cases";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import type { OrganisationStatus } from "./rules";

/** Provider organisations by name, for filters and pickers. */
export async function listProviderOrganisations(db: Executor): Promise<{ id: string; name: string; odsCode: string; status: string }[]> {
  return db
    .select({ id: organisations.id, name: organisations.name, odsCode: organisations.odsCode, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.kind, "provider"))
    .orderBy(asc(organisations.name));
}

export interface OrganisationListRow {
  id: string;
  odsCode: string;
  name: string;
  type: string;
  status: OrganisationStatus;
  /** Accounts not suspended (active or waiting for set-up). */
  accounts: number;
  /** The open case's number, if one is open. */
  openCaseNumber: number | null;
}

export interface OrganisationListFilter {
  status?: OrganisationStatus;
  /** Part of the name or ODS code. */
  q?: string;
}

/** The back office's list of provider organisations (UAP-A.1), filtered by status and name or ODS code, by name. */
export async function listOrganisations(db: Executor, filter: OrganisationListFilter = {}): Promise<{ rows: OrganisationListRow[]; counts: Record<OrganisationStatus, number> }> {
  const conditions: SQL[] = [eq(organisations.kind, "provider")];
  if (filter.status) conditions.push(eq(organisations.status, filter.status));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(organisations.name, like), ilike(organisations.odsCode, like))!);
  }
  const rows = await db
    .select({
      id: organisations.id,
      odsCode: organisations.odsCode,
      name: organisations.name,
      type: organisations.type,
      status: organisations.status,
      accounts: sql<number>`(select count(*)::int from ${accounts} where ${accounts.organisationId} = ${organisations.id} and ${accounts.status} <> 'suspended')`,
      openCaseNumber: sql<number | null>`(select ${organisationCases.number} from ${organisationCases} where ${organisationCases.organisationId} = ${organisations.id} and ${organisationCases.status} = 'open' limit 1)`,
    })
    .from(organisations)
    .where(and(...conditions))
    .orderBy(asc(organisations.name), asc(organisations.odsCode));
  const countRows = await db
    .select({ status: organisations.status, n: sql<number>`count(*)::int` })
    .from(organisations)
    .where(eq(organisations.kind, "provider"))
    .groupBy(organisations.status);
  const counts: Record<OrganisationStatus, number> = { onboarding: 0, active: 0, closing: 0, closed: 0 };
  for (const c of countRows) counts[c.status] = c.n;
  return { rows: rows.map((r) => ({ ...r, openCaseNumber: r.openCaseNumber === null ? null : Number(r.openCaseNumber) })), counts };
}
