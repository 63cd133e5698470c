import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { endAllSessions } from "../auth/sessions";
import { accounts, roleGrants } from "../db/schema/accounts";
import { AppError } from "../errors";
import { lockAccount, rolesOf, type AccountChangeOptions } from "./account-changes";

/**
 * Replaces an account's security roles (UAP-2.3: it holds only what it was granted) and, when
 * given, its professional registration (UCP-RBAC-3). The security stamp changes and live
 * sessions end, so the new rights apply from the user's next request.
 */
export async function changeAccountRoles(
  options: AccountChangeOptions & {
    accountId: string;
    roleKeys: string[];
    registration?: { body: string | null; number: string | null };
  },
): Promise<{ before: string[]; after: string[]; sessionsEnded: number }> {
  const { tx, actor, clock, accountId } = options;
  const after = [...new Set(options.roleKeys)].sort();
  if (after.length === 0) throw new AppError("validation", "an account needs at least one role (PRIV-3)", "An account needs a security role.");
  const account = await lockAccount(tx, accountId);
  const before = await rolesOf(tx, accountId);
  const now = clock.now();
  await tx.delete(roleGrants).where(eq(roleGrants.accountId, accountId));
  await tx.insert(roleGrants).values(after.map((roleKey) => ({ accountId, roleKey, grantedAt: now, grantedBy: actor.accountId })));
  const registrationChanged =
    options.registration !== undefined &&
    (options.registration.body !== account.registrationBody || options.registration.number !== account.registrationNumber);
  if (options.registration && registrationChanged) {
    await tx
      .update(accounts)
      .set({ registrationBody: options.registration.body, registrationNumber: options.registration.number, updatedAt: now })
      .where(eq(accounts.id, accountId));
  }
  const sessionsEnded = await endAllSessions(tx, clock, [accountId], "credentials_changed");
  await recordAudit(tx, actor, clock, {
    action: "account.roles_changed",
    organisationId: account.organisationId,
    subjectAccountId: accountId,
    requestId: options.requestId ?? null,
    detail: {
      before: { roles: before, ...(registrationChanged ? { registrationBody: account.registrationBody, registrationNumber: account.registrationNumber } : {}) },
      after: { roles: after, ...(registrationChanged ? { registrationBody: options.registration!.body, registrationNumber: options.registration!.number } : {}) },
      sessionsEnded,
    },
  });
  return { before, after, sessionsEnded };
}
