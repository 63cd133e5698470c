import { sql } from "drizzle-orm";
import type { Executor } from "../db/types";

/**
 * The organisation's licence lock: the same transaction-scoped advisory lock request
 * submission takes (lib/requests/submit-request.ts), so a licence count read under it stays
 * true until the transaction commits, whoever else is taking licences.
 */
export async function licenceAccountsLock(tx: Executor, organisationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`requests:${organisationId}`}, 0))`);
}
