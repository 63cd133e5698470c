import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { accounts, roleGrants } from "../db/schema/accounts";
import { AppError } from "../errors";
import { normaliseEmail } from "../policy/email-policy";
import type { AccountChangeOptions, AccountRow } from "./account-changes";

/**
 * Creates a provider account, pending until its owner completes set-up, with its security
 * roles (PRIV-3: name, email and role, all three) and the account.created audit event. The
 * caller sends the set-up emails (CC-6) in the same transaction. An email already in use
 * (case-insensitive, UAP-2.2) is refused.
 */
export async function createProviderAccount(
  options: AccountChangeOptions & {
    organisationId: string;
    fullName: string;
    email: string;
    jobTitle: string | null;
    roleKeys: string[];
    registrationBody?: string | null;
    registrationNumber?: string | null;
    endDate?: string | null;
    igTrainingDate?: string | null;
  },
): Promise<AccountRow> {
  const { tx, actor, clock } = options;
  const email = normaliseEmail(options.email);
  if (!options.fullName.trim() || !email || options.roleKeys.length === 0) {
    throw new AppError("validation", "an account needs a name, an email and a role (PRIV-3)", "An account needs a name, an email address and a security role.");
  }
  const [existing] = await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = ${email}`).limit(1);
  if (existing) {
    throw new AppError("refused", `email ${email} already has an account`, `${email} already has an account. Each person has one account (UAP-2.2).`, {
      email: `${email} already has an account`,
    });
  }
  const now = clock.now();
  const [account] = await tx
    .insert(accounts)
    .values({
      organisationId: options.organisationId,
      audience: "provider",
      fullName: options.fullName.trim(),
      email,
      status: "pending",
      jobTitle: options.jobTitle,
      registrationBody: options.registrationBody ?? null,
      registrationNumber: options.registrationNumber ?? null,
      endDate: options.endDate ?? null,
      igTrainingDate: options.igTrainingDate ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const roleKeys = [...new Set(options.roleKeys)].sort();
  await tx.insert(roleGrants).values(roleKeys.map((roleKey) => ({ accountId: account!.id, roleKey, grantedAt: now, grantedBy: actor.accountId })));
  await recordAudit(tx, actor, clock, {
    action: "account.created",
    organisationId: options.organisationId,
    subjectAccountId: account!.id,
    requestId: options.requestId ?? null,
    detail: {
      after: {
        fullName: account!.fullName,
        email,
        status: "pending",
        jobTitle: options.jobTitle,
        roles: roleKeys,
        registrationBody: options.registrationBody ?? null,
        registrationNumber: options.registrationNumber ?? null,
        endDate: options.endDate ?? null,
        igTrainingDate: options.igTrainingDate ?? null,
      },
    },
  });
  return account!;
}
