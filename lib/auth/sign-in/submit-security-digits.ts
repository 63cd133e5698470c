import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../../audit/record-audit";
import { accounts } from "../../db/schema/accounts";
import { signInAttempts } from "../../db/schema/auth";
import { enqueueMessage } from "../../mail/enqueue-message";
import { newEmailCode } from "../one-time-tokens";
import { openSession } from "../sessions";
import { digitsMatch } from "../security-number";
import { lockedUntil, throttleKeys } from "../throttle";
import type { AuthDeps, ClientInfo } from "../deps";
import { failSignIn, type FailureReason } from "./sign-in-failure";

/** What step 2 says about a box (`digit-0`, `digit-1` …) that does not hold one digit. */
export const digitsStepMessages = { digit: { notDigit: "Enter one digit, 0 to 9" } } as const;

export const digitsStepSchema = z.object({
  attemptId: z.uuid(),
  digits: z.array(z.string().regex(/^\d$/, digitsStepMessages.digit.notDigit)).min(1).max(6),
});

/**
 * Where a step leaves the attempt: complete (a session may be established from it), signed in
 * (the session is open already), the emailed code still to come, or failed.
 */
export type SignInStep =
  | { next: "complete" }
  | { next: "signed_in"; session: { sessionId: string; accountId: string } }
  | { next: "email_code" }
  | { next: "failed" };

/**
 * Step 2: the digits asked for. Only now does the attempt succeed or fail as a whole; off a
 * trusted network a one-time code is emailed as step 3 (UCP-NET-1).
 *
 * With `openSession`, a sign-in that is complete now (a trusted network) consumes its attempt
 * and opens the session in this same transaction, as establishSession would in a second one:
 * the web's sign-in uses this, one transaction for the whole of step 2.
 */
export async function submitSecurityDigits(
  deps: AuthDeps,
  input: z.infer<typeof digitsStepSchema>,
  client: ClientInfo,
  options: { openSession?: boolean } = {},
): Promise<SignInStep> {
  const { db, clock, config } = deps;
  return db.transaction(async (tx) => {
    const [attempt] = await tx.select().from(signInAttempts).where(eq(signInAttempts.id, input.attemptId)).for("update").limit(1);
    if (!attempt || attempt.stage !== "digits") return { next: "failed" } as const;
    const [account] = attempt.accountId ? await tx.select().from(accounts).where(eq(accounts.id, attempt.accountId)).limit(1) : [];
    const failure = await (async (): Promise<FailureReason | null> => {
      if (attempt.expiresAt <= clock.now()) return "expired";
      if (!account) return "unknown_account";
      if (await lockedUntil(tx, clock, throttleKeys(account.id, client.clientAddress))) return "locked";
      const digitsOk = account.securityNumberSealed !== null && digitsMatch(deps.secretsKey, account.securityNumberSealed, attempt.positions, input.digits);
      if (!attempt.passwordOk) return account.passwordHash ? "wrong_password" : "not_set_up";
      if (!digitsOk) return "wrong_digits";
      if (account.status !== "active") return "not_active";
      return null;
    })();
    if (failure) {
      await failSignIn(tx, deps, { id: attempt.id, accountId: attempt.accountId, organisationId: account?.organisationId }, failure, client);
      return { next: "failed" } as const;
    }
    if (attempt.trustedNetwork && options.openSession) {
      await tx.update(signInAttempts).set({ stage: "used" }).where(eq(signInAttempts.id, attempt.id));
      // The client is the one that started the attempt (step 1), as establishSession records it.
      const session = await openSession(tx, deps, account!, { clientAddress: attempt.clientAddress, userAgent: attempt.userAgent });
      return { next: "signed_in", session } as const;
    }
    if (attempt.trustedNetwork) {
      await tx.update(signInAttempts).set({ stage: "complete" }).where(eq(signInAttempts.id, attempt.id));
      return { next: "complete" } as const;
    }
    const code = newEmailCode();
    const expiresAt = new Date(clock.now().getTime() + config.signIn.emailCodeMinutes * 60_000);
    await tx
      .update(signInAttempts)
      .set({ stage: "email_code", emailCodeHash: createHash("sha256").update(code).digest("hex"), emailCodeExpiresAt: expiresAt, expiresAt })
      .where(eq(signInAttempts.id, attempt.id));
    await enqueueMessage(tx, {
      kind: "sign_in_code",
      to: [account!.email],
      subject: `Your ${config.operator.shortName} sign-in code`,
      text: [
        `Your sign-in code is ${code}`,
        "",
        `It works once, for ${config.signIn.emailCodeMinutes} minutes. You were asked for it because you are signing in from outside a trusted network.`,
        `If you did not try to sign in, someone may know your password: change it, and tell ${config.operator.teamName} at ${config.operator.mailbox}.`,
      ].join("\n"),
      sensitive: true,
      idempotencyKey: `sign_in_code:${attempt.id}`,
    });
    await recordAudit(tx, { accountId: account!.id, label: account!.fullName, channel: "web", ...client }, clock, {
      action: "sign_in.code_sent",
      subjectAccountId: account!.id,
      organisationId: account!.organisationId,
      detail: { reason: "untrusted_network" },
    });
    return { next: "email_code" } as const;
  });
}
