import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record-audit";
import { accounts } from "../../db/schema/accounts";
import { signInAttempts } from "../../db/schema/auth";
import { AppError } from "../../errors";
import { fieldErrorsOf } from "../../validation";
import { hashPassword } from "../passwords";
import { sealSecurityNumber } from "../security-number";
import { peekLink, useLink } from "../links";
import { acceptPolicies } from "../policy-acceptance";
import { newSecretsSchema } from "../secret-rules";
import { PUBLIC_FORM_LIMITS, countUse, overLimit, rateKey, rateLimitedError } from "../throttle";
import { isTrustedAddress } from "../trusted-networks";
import type { AuthDeps, ClientInfo } from "../deps";

export const LINK_NOT_VALID = "This link has expired or has already been used. Ask your Lead correspondent, or the operator, to send a new one.";

/** Who a set-up link belongs to, for the set-up page; null when the link is not live. */
export async function setupLinkAccount(deps: AuthDeps, token: string) {
  const link = await peekLink(deps.db, deps.clock, token, "setup");
  if (!link) return null;
  const [account] = await deps.db
    .select({ id: accounts.id, email: accounts.email, fullName: accounts.fullName, status: accounts.status })
    .from(accounts)
    .where(eq(accounts.id, link.accountId));
  return account && account.status !== "suspended" ? account : null;
}

/**
 * CC-6 / AUP-5.1a: the user chooses a password and a security number and accepts the current
 * Acceptable Use Policy; the account becomes active and a completed sign-in attempt is
 * returned, so the surface signs them straight in.
 */
export async function completeAccountSetup(
  deps: AuthDeps,
  input: { token: string; password: string; passwordConfirm: string; securityNumber: string; securityNumberConfirm: string; acceptPolicy: boolean },
  client: ClientInfo,
): Promise<{ attemptId: string }> {
  const { db, clock, config } = deps;
  // Links are long random tokens; still, a client that keeps presenting dead ones is stopped.
  const badLinks = client.clientAddress ? rateKey("bad-link", client.clientAddress) : null;
  if (badLinks && (await overLimit(db, clock, badLinks, PUBLIC_FORM_LIMITS.badLinkPerClient))) throw rateLimitedError(PUBLIC_FORM_LIMITS.badLinkPerClient, "dead set-up links");
  const link = await peekLink(db, clock, input.token, "setup");
  if (!link) {
    if (badLinks) await countUse(db, clock, badLinks, PUBLIC_FORM_LIMITS.badLinkPerClient);
    throw new AppError("not_found", "setup link not live", LINK_NOT_VALID);
  }
  const [account] = await db.select().from(accounts).where(eq(accounts.id, link.accountId));
  if (!account || account.status === "suspended") throw new AppError("not_found", "setup link account not usable", LINK_NOT_VALID);
  // Every problem at once: the secrets' and the policy checkbox's, in one error summary.
  const checked = newSecretsSchema(config, { email: account.email, fullName: account.fullName }).safeParse(input);
  const fieldErrors = checked.success ? {} : fieldErrorsOf(checked.error);
  if (!input.acceptPolicy) fieldErrors.acceptPolicy = "Confirm that you have read and accept the Acceptable Use Policy";
  if (!checked.success || Object.keys(fieldErrors).length > 0) {
    throw new AppError("validation", "account set-up input invalid", "There is a problem with what you entered", fieldErrors);
  }
  const secrets = checked.data;
  const passwordHash = await hashPassword(secrets.password);
  const sealed = sealSecurityNumber(deps.secretsKey, secrets.securityNumber);
  return db.transaction(async (tx) => {
    if (!(await useLink(tx, clock, link.linkId))) throw new AppError("not_found", "setup link raced", LINK_NOT_VALID);
    // Read again under a row lock: staff may have suspended the account while the secrets were
    // being hashed, and set-up must never make a suspended account active again.
    const [current] = await tx.select({ status: accounts.status, activatedAt: accounts.activatedAt }).from(accounts).where(eq(accounts.id, account.id)).for("update");
    if (!current || current.status === "suspended") throw new AppError("not_found", "setup link account suspended meanwhile", LINK_NOT_VALID);
    const now = clock.now();
    await tx
      .update(accounts)
      .set({ passwordHash, securityNumberSealed: sealed, status: "active", activatedAt: current.activatedAt ?? now, updatedAt: now })
      .where(eq(accounts.id, account.id));
    const actor = { accountId: account.id, label: account.fullName, channel: "web" as const, ...client };
    await acceptPolicies(tx, config, clock, actor, account);
    await recordAudit(tx, actor, clock, {
      action: "account.setup_completed",
      subjectAccountId: account.id,
      organisationId: account.organisationId,
      detail: { before: { status: current.status }, after: { status: "active" } },
    });
    const [attempt] = await tx
      .insert(signInAttempts)
      .values({
        accountId: account.id,
        stage: "complete",
        positions: [],
        passwordOk: true,
        trustedNetwork: isTrustedAddress(client.clientAddress, config.network.trustedNetworks),
        clientAddress: client.clientAddress,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 60_000),
      })
      .returning({ id: signInAttempts.id });
    return { attemptId: attempt!.id };
  });
}
