import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import { accounts } from "../db/schema/accounts";
import { signInThrottles } from "../db/schema/auth";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export interface SignInLock {
  key: string;
  kind: "account" | "address";
  /** The account's name and email, for an account lock. */
  account: { id: string; fullName: string; email: string; organisationId: string } | null;
  address: string | null;
  lockedUntil: Date;
  lockouts: number;
}

/** Locks in force now, soonest to lift last. */
export async function listSignInLocks(db: Executor, clock: Clock): Promise<SignInLock[]> {
  const rows = await db
    .select()
    .from(signInThrottles)
    .where(gt(signInThrottles.lockedUntil, clock.now()))
    .orderBy(sql`${signInThrottles.lockedUntil} desc`);
  const accountIds = rows.filter((r) => r.key.startsWith("account:")).map((r) => r.key.slice("account:".length));
  const people = accountIds.length
    ? await db
        .select({ id: accounts.id, fullName: accounts.fullName, email: accounts.email, organisationId: accounts.organisationId })
        .from(accounts)
        .where(inArray(accounts.id, accountIds))
    : [];
  return rows.map((r) => {
    const isAccount = r.key.startsWith("account:");
    const id = r.key.slice(r.key.indexOf(":") + 1);
    return {
      key: r.key,
      kind: isAccount ? "account" : "address",
      account: isAccount ? (people.find((p) => p.id === id) ?? null) : null,
      address: isAccount ? null : id,
      lockedUntil: r.lockedUntil!,
      lockouts: r.lockouts,
    };
  });
}

/**
 * Staff lift a lock (an account's or an address's) before it expires: the count starts
 * again from nothing, and the unlock is audited with who did it (AUP-4.2 lockout, issue 3).
 */
export async function unlockSignIn(options: { tx: Executor; actor: Actor; clock: Clock; key: string }): Promise<void> {
  const { tx, actor, clock, key } = options;
  const now = clock.now();
  const [row] = await tx
    .update(signInThrottles)
    .set({ failures: 0, lockedUntil: null, updatedAt: now })
    .where(and(eq(signInThrottles.key, key), gt(signInThrottles.lockedUntil, now)))
    .returning({ key: signInThrottles.key });
  if (!row) throw new AppError("not_found", `no lock in force for ${key}`, "That lock has already been lifted or has expired.");
  const accountId = key.startsWith("account:") ? key.slice("account:".length) : null;
  const [account] = accountId ? await tx.select({ organisationId: accounts.organisationId }).from(accounts).where(eq(accounts.id, accountId)) : [];
  await recordAudit(tx, actor, clock, {
    action: "sign_in.unlocked",
    subjectAccountId: accountId,
    organisationId: account?.organisationId ?? null,
    detail: { key },
  });
}
