import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../../audit/record-audit";
import { accounts } from "../../db/schema/accounts";
import { AppError } from "../../errors";
import { parseOrThrow } from "../../validation";
import { hashPassword } from "../passwords";
import { isTrivialSecurityNumber, sealSecurityNumber } from "../security-number";
import { passwordProblem } from "../password-rules";
import { peekLink, useLink } from "../links";
import { endAllSessions } from "../sessions";
import { PUBLIC_FORM_LIMITS, countUse, overLimit, rateKey, rateLimitedError } from "../throttle";
import type { AuthDeps, ClientInfo } from "../deps";

const NOT_VALID = "This reset link has expired or has already been used. Ask for a new one.";

/** What a live reset link resets, for its page; null when the link is not live. */
export async function resetLinkPurpose(deps: AuthDeps, token: string): Promise<"password" | "security_number" | null> {
  const password = await peekLink(deps.db, deps.clock, token, "reset_password");
  if (password) return "password";
  return (await peekLink(deps.db, deps.clock, token, "reset_security_number")) ? "security_number" : null;
}

/** Sets the new secret, ends every session of the account (the old secret is void), audits it. */
export async function completeSecretReset(deps: AuthDeps, input: { token: string; secret: string; confirm: string }, client: ClientInfo): Promise<void> {
  const { db, clock, config } = deps;
  // Links are long random tokens; still, a client that keeps presenting dead ones is stopped.
  const badLinks = client.clientAddress ? rateKey("bad-link", client.clientAddress) : null;
  if (badLinks && (await overLimit(db, clock, badLinks, PUBLIC_FORM_LIMITS.badLinkPerClient))) throw rateLimitedError(PUBLIC_FORM_LIMITS.badLinkPerClient, "dead reset links");
  const which = await resetLinkPurpose(deps, input.token);
  if (!which) {
    if (badLinks) await countUse(db, clock, badLinks, PUBLIC_FORM_LIMITS.badLinkPerClient);
    throw new AppError("not_found", "reset link not live", NOT_VALID);
  }
  const link = (await peekLink(db, clock, input.token, which === "password" ? "reset_password" : "reset_security_number"))!;
  const [account] = await db.select().from(accounts).where(eq(accounts.id, link.accountId));
  if (!account || account.status !== "active") throw new AppError("not_found", "reset account not active", NOT_VALID);
  const schema = z
    .object({ secret: z.string(), confirm: z.string() })
    .superRefine((v, ctx) => {
      const problem =
        which === "password"
          ? passwordProblem(v.secret, { minimumLength: config.signIn.minimumPasswordLength, email: account.email, fullName: account.fullName })
          : !/^\d{6}$/.test(v.secret.trim())
            ? "Security number must be 6 digits"
            : isTrivialSecurityNumber(v.secret.trim())
              ? "Security number is too easy to guess: avoid repeated digits and runs such as 123456"
              : null;
      if (problem) ctx.addIssue({ code: "custom", path: ["secret"], message: problem });
      else if (v.secret.trim() !== v.confirm.trim()) ctx.addIssue({ code: "custom", path: ["confirm"], message: "The two entries do not match" });
    });
  const parsed = parseOrThrow(schema, input);
  const change = which === "password" ? { passwordHash: await hashPassword(parsed.secret) } : { securityNumberSealed: sealSecurityNumber(deps.secretsKey, parsed.secret.trim()) };
  await db.transaction(async (tx) => {
    if (!(await useLink(tx, clock, link.linkId))) throw new AppError("not_found", "reset link raced", NOT_VALID);
    await tx.update(accounts).set({ ...change, updatedAt: clock.now() }).where(eq(accounts.id, account.id));
    const ended = await endAllSessions(tx, clock, [account.id], "credentials_changed");
    await recordAudit(tx, { accountId: account.id, label: account.fullName, channel: "web", ...client }, clock, {
      action: "account.secret_reset",
      subjectAccountId: account.id,
      organisationId: account.organisationId,
      detail: { which, sessionsEnded: ended },
    });
  });
}

