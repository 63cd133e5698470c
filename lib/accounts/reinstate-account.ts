import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { accounts } from "../db/schema/accounts";
import { AppError } from "../errors";
import { lockAccount, type AccountChangeOptions } from "./account-changes";

/**
 * Reinstates a suspended account (UAP-4.3c): active again if its owner had set it up, pending
 * (waiting for set-up) if not. A new end date may come with it (CC-7c).
 */
export async function reinstateAccount(
  options: AccountChangeOptions & { accountId: string; endDate?: string | null },
): Promise<{ after: "active" | "pending" }> {
  const { tx, actor, clock, accountId } = options;
  const account = await lockAccount(tx, accountId);
  if (account.status !== "suspended") {
    throw new AppError("conflict", `account ${accountId} is not suspended`, `${account.fullName}'s account is not suspended.`);
  }
  const now = clock.now();
  const after = account.passwordHash && account.securityNumberSealed ? "active" : "pending";
  const endDate = options.endDate === undefined || options.endDate === null ? account.endDate : options.endDate;
  await tx
    .update(accounts)
    .set({ status: after, suspendedAt: null, suspensionReason: null, endDate, updatedAt: now })
    .where(eq(accounts.id, accountId));
  await recordAudit(tx, actor, clock, {
    action: "account.reinstated",
    organisationId: account.organisationId,
    subjectAccountId: accountId,
    requestId: options.requestId ?? null,
    detail: {
      before: { status: account.status, suspendedAt: account.suspendedAt?.toISOString() ?? null, suspensionReason: account.suspensionReason, endDate: account.endDate },
      after: { status: after, endDate },
    },
  });
  return { after };
}
