import { createHash, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { accounts } from "../../db/schema/accounts";
import { signInAttempts } from "../../db/schema/auth";
import type { AuthDeps, ClientInfo } from "../deps";
import { failSignIn } from "./sign-in-failure";
import type { SignInStep } from "./submit-security-digits";

export const emailCodeStepMessages = { code: { invalid: "Enter the 6-digit code from the email" } } as const;

export const emailCodeStepSchema = z.object({
  attemptId: z.uuid(),
  code: z
    .string()
    .transform((v) => v.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, emailCodeStepMessages.code.invalid)),
});

/** Step 3, off trusted networks only (UCP-NET-1): the emailed code, single use, within its time. */
export async function submitEmailCode(deps: AuthDeps, input: z.infer<typeof emailCodeStepSchema>, client: ClientInfo): Promise<SignInStep> {
  return deps.db.transaction(async (tx) => {
    const [attempt] = await tx.select().from(signInAttempts).where(eq(signInAttempts.id, input.attemptId)).for("update").limit(1);
    if (!attempt || attempt.stage !== "email_code" || !attempt.emailCodeHash) return { next: "failed" } as const;
    const [account] = attempt.accountId ? await tx.select({ organisationId: accounts.organisationId }).from(accounts).where(eq(accounts.id, attempt.accountId)) : [];
    const given = createHash("sha256").update(input.code).digest();
    const expected = Buffer.from(attempt.emailCodeHash, "hex");
    const expired = !attempt.emailCodeExpiresAt || attempt.emailCodeExpiresAt <= deps.clock.now();
    if (expired || !timingSafeEqual(given, expected)) {
      await failSignIn(tx, deps, { id: attempt.id, accountId: attempt.accountId, organisationId: account?.organisationId }, expired ? "expired" : "wrong_code", client);
      return { next: "failed" } as const;
    }
    await tx.update(signInAttempts).set({ stage: "complete", emailCodeHash: null }).where(eq(signInAttempts.id, attempt.id));
    return { next: "complete" } as const;
  });
}
