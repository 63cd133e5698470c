import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { endAllSessions } from "../auth/sessions";
import { roleGrants } from "../db/schema/accounts";
import { lockAccount, rolesOf, type AccountChangeOptions } from "./account-changes";

/**
 * Withdraws one security role from an account (an outgoing Lead correspondent's Lead role,
 * UAP-A.3). Its sessions end so the loss applies at once; holding no such role, nothing changes.
 */
export async function revokeAccountRole(options: AccountChangeOptions & { accountId: string; roleKey: string }): Promise<{ before: string[]; after: string[] } | null> {
  const { tx, actor, clock, accountId, roleKey } = options;
  const account = await lockAccount(tx, accountId);
  const before = await rolesOf(tx, accountId);
  if (!before.includes(roleKey)) return null;
  await tx.delete(roleGrants).where(and(eq(roleGrants.accountId, accountId), eq(roleGrants.roleKey, roleKey)));
  const after = before.filter((key) => key !== roleKey);
  const sessionsEnded = await endAllSessions(tx, clock, [accountId], "credentials_changed");
  await recordAudit(tx, actor, clock, {
    action: "account.roles_changed",
    organisationId: account.organisationId,
    subjectAccountId: accountId,
    requestId: options.requestId ?? null,
    detail: { before: { roles: before }, after: { roles: after }, revoked: roleKey, sessionsEnded },
  });
  return { before, after };
}
