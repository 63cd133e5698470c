import { sql } from "drizzle-orm";
import { z } from "zod";
import { accounts } from "../../db/schema/accounts";
import { signInAttempts } from "../../db/schema/auth";
import { choosePositions } from "../one-time-tokens";
import { decoyPasswordHash, verifyPassword } from "../passwords";
import { isTrustedAddress } from "../trusted-networks";
import type { AuthDeps, ClientInfo } from "../deps";

/**
 * What step 1 says about each field, by field and problem: the form's route handler names the
 * problem in the redirect (`?error=email.missing`) and the page shows the message kept here.
 */
export const passwordStepMessages = {
  email: { missing: "Enter your email address", tooLong: "Enter a shorter email address" },
  password: { missing: "Enter your password", tooLong: "Enter a shorter password" },
} as const;

export const passwordStepSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, passwordStepMessages.email.missing).max(320, passwordStepMessages.email.tooLong),
  password: z.string().min(1, passwordStepMessages.password.missing).max(1024, passwordStepMessages.password.tooLong),
});

/**
 * Step 1 (AUP-4.2): checks the password and opens an attempt asking for digits at positions
 * chosen now. Whatever happened, the answer is the same shape and takes the same time: an
 * unknown email is verified against a decoy hash, and the outcome shows only at the end.
 */
export async function startSignIn(deps: AuthDeps, input: z.infer<typeof passwordStepSchema>, client: ClientInfo): Promise<{ attemptId: string; positions: number[] }> {
  const { db, config, clock } = deps;
  const [account] = await db
    .select({ id: accounts.id, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(sql`lower(${accounts.email}) = ${input.email}`)
    .limit(1);
  const storedHash = account?.passwordHash ?? (await decoyPasswordHash());
  const passwordOk = (await verifyPassword(storedHash, input.password)) && Boolean(account?.passwordHash);
  const positions = choosePositions(config.signIn.securityDigitsAsked);
  const now = clock.now();
  const [attempt] = await db
    .insert(signInAttempts)
    .values({
      accountId: account?.id ?? null,
      stage: "digits",
      positions,
      passwordOk,
      trustedNetwork: isTrustedAddress(client.clientAddress, config.network.trustedNetworks),
      clientAddress: client.clientAddress,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + config.signIn.challengeMinutes * 60_000),
    })
    .returning({ id: signInAttempts.id });
  return { attemptId: attempt!.id, positions };
}
