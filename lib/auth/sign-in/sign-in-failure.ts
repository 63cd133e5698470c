import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record-audit";
import type { Actor } from "../../audit/events";
import { signInAttempts } from "../../db/schema/auth";
import type { Transaction } from "../../db/types";
import { recordFailure, throttleKeys } from "../throttle";
import type { AuthDeps, ClientInfo } from "../deps";

/** Why a sign-in failed: kept in the audit log for staff; the person sees one generic message. */
export type FailureReason =
  | "unknown_account"
  | "wrong_password"
  | "wrong_digits"
  | "wrong_code"
  | "expired"
  | "locked"
  | "not_active"
  | "not_set_up";

/** Ends the attempt, counts the failure against account and address, and audits it (and any lockout). */
export async function failSignIn(
  tx: Transaction,
  deps: AuthDeps,
  attempt: { id: string; accountId: string | null; organisationId?: string | null },
  reason: FailureReason,
  client: ClientInfo,
): Promise<void> {
  await tx.update(signInAttempts).set({ stage: "failed" }).where(eq(signInAttempts.id, attempt.id));
  const locks = reason === "expired" ? [] : await recordFailure(tx, deps.clock, deps.config, throttleKeys(attempt.accountId, client.clientAddress));
  const actor: Actor = { accountId: attempt.accountId, label: attempt.accountId ? "Sign-in" : "Unknown user", channel: "web", ...client };
  await recordAudit(tx, actor, deps.clock, [
    { action: "sign_in.failed", subjectAccountId: attempt.accountId, organisationId: attempt.organisationId ?? null, detail: { reason } },
    ...locks.map((lock) => ({
      action: "sign_in.locked",
      subjectAccountId: lock.key.startsWith("account:") ? attempt.accountId : null,
      organisationId: attempt.organisationId ?? null,
      detail: { key: lock.key, until: lock.until.toISOString(), lockouts: lock.lockouts },
    })),
  ]);
}
