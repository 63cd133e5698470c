import { eq } from "drizzle-orm";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

/** What every account change needs: the caller's transaction, who acts, the clock, and the request it carries out (if any). */
export interface AccountChangeOptions {
  tx: Executor;
  actor: Actor;
  clock: Clock;
  /** The request this change carries out; kept on the audit event. */
  requestId?: string | null;
}

export type AccountRow = typeof accounts.$inferSelect;

/** Reads an account under a row lock, so two changes to it run one after the other. */
export async function lockAccount(tx: Executor, accountId: string): Promise<AccountRow> {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for("update");
  if (!account) throw new AppError("not_found", `account ${accountId} not found`, "The account could not be found.");
  return account;
}

/** The security roles an account holds, sorted. */
export async function rolesOf(tx: Executor, accountId: string): Promise<string[]> {
  const rows = await tx.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, accountId));
  return rows.map((r) => r.roleKey).sort();
}
