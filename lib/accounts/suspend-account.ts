import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { endAllSessions } from "../auth/sessions";
import { accounts } from "../db/schema/accounts";
import { AppError } from "../errors";
import { lockAccount, type AccountChangeOptions } from "./account-changes";

/**
 * Suspends an account — never deletes it (UAP-4.3c) — and ends all its sessions at once.
 * Suspending a suspended account is refused, so a change is never recorded twice.
 */
export async function suspendAccount(options: AccountChangeOptions & { accountId: string; reason: string }): Promise<{ before: string; sessionsEnded: number }> {
  const { tx, actor, clock, accountId } = options;
  const account = await lockAccount(tx, accountId);
  if (account.status === "suspended") {
    throw new AppError("conflict", `account ${accountId} is already suspended`, `${account.fullName}'s account is already suspended.`);
  }
  const now = clock.now();
  await tx.update(accounts).set({ status: "suspended", suspendedAt: now, suspensionReason: options.reason, updatedAt: now }).where(eq(accounts.id, accountId));
  const sessionsEnded = await endAllSessions(tx, clock, [accountId], "account_not_active");
  await recordAudit(tx, actor, clock, {
    action: "account.suspended",
    organisationId: account.organisationId,
    subjectAccountId: accountId,
    requestId: options.requestId ?? null,
    detail: { before: { status: account.status }, after: { status: "suspended" }, reason: options.reason, sessionsEnded },
  });
  return { before: account.status, sessionsEnded };
}
