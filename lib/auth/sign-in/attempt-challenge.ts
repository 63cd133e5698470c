import { eq } from "drizzle-orm";
import type { Clock } from "../../clock";
import { signInAttempts } from "../../db/schema/auth";
import type { Executor } from "../../db/types";

/** What the next step of a live attempt asks for; null when the attempt is over or expired. */
export async function attemptChallenge(
  db: Executor,
  clock: Clock,
  attemptId: string,
): Promise<{ stage: "digits"; positions: number[] } | { stage: "email_code" } | { stage: "complete" } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(attemptId)) return null;
  const [attempt] = await db
    .select({ stage: signInAttempts.stage, positions: signInAttempts.positions, expiresAt: signInAttempts.expiresAt })
    .from(signInAttempts)
    .where(eq(signInAttempts.id, attemptId))
    .limit(1);
  if (!attempt || attempt.expiresAt <= clock.now()) return null;
  if (attempt.stage === "digits") return { stage: "digits", positions: attempt.positions };
  if (attempt.stage === "email_code" || attempt.stage === "complete") return { stage: attempt.stage };
  return null;
}
