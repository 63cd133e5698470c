import { getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { carePackages } from "../db/schema/care";
import { addDays, londonToday } from "./dates";

/**
 * Need to know (issue 10 §8): a provider user sees an individual, and the purchase orders and
 * payments of their packages, only while their organisation provides that individual's care —
 * a package that is active, or that ended no more than `accounts.endedPackageVisibleDays` ago
 * (configuration, default 90 in the council profile). Every provider read of care data goes
 * through this condition on care_packages, so the rule lives here once.
 */

export interface CareScope {
  organisationId: string;
  /** Ended packages whose end date is on or after this London day are still visible. */
  endedVisibleFrom: string;
}

export function careScope(options: { organisationId: string; clock: Clock; config: Pick<PortalConfig, "accounts"> }): CareScope {
  const today = londonToday(options.clock);
  return { organisationId: options.organisationId, endedVisibleFrom: addDays(today, -options.config.accounts.endedPackageVisibleDays) };
}

/** The SQL condition on care_packages: this organisation's packages it currently provides. */
export function visiblePackages(scope: CareScope): SQL {
  return sql`(${qualified(carePackages.organisationId)} = ${scope.organisationId} and (${qualified(carePackages.status)} = 'active' or ${qualified(carePackages.endDate)} >= ${scope.endedVisibleFrom}::date))`;
}

/** The pure form of the same rule, for code holding a package row. */
export function isPackageVisible(scope: CareScope, pkg: { organisationId: string; status: string; endDate: string | null }): boolean {
  return pkg.organisationId === scope.organisationId && (pkg.status === "active" || (pkg.endDate !== null && pkg.endDate >= scope.endedVisibleFrom));
}

/**
 * A column written with its table's name. Drizzle leaves columns unqualified in a query over
 * one table, which inside a correlated subquery would bind to the subquery's own table: every
 * column a subquery shares with its outer query is written with this.
 */
export function qualified(column: AnyPgColumn): SQL {
  return sql.raw(`"${getTableName(column.table)}"."${column.name}"`);
}
