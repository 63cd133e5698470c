import { and, asc, eq } from "drizzle-orm";
import { accounts } from "../db/schema/accounts";
import type { Executor } from "../db/types";

/** Active operator staff, by name: the people a request can be assigned to. */
export async function listStaffAccounts(db: Executor): Promise<{ id: string; fullName: string }[]> {
  return db
    .select({ id: accounts.id, fullName: accounts.fullName })
    .from(accounts)
    .where(and(eq(accounts.audience, "operator"), eq(accounts.status, "active")))
    .orderBy(asc(accounts.fullName));
}
