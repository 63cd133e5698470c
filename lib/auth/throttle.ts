import { and, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { signInThrottles } from "../db/schema/auth";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export const accountKey = (accountId: string) => `account:${accountId}`;
export const addressKey = (address: string) => `address:${address}`;

/** The keys a sign-in step counts against: the account (when known) and the client address. */
export function throttleKeys(accountId: string | null, clientAddress: string | null): string[] {
  return [accountId ? accountKey(accountId) : null, clientAddress ? addressKey(clientAddress) : null].filter((k): k is string => k !== null);
}

/** The latest lock among the keys, if any is still in force. */
export async function lockedUntil(db: Executor, clock: Clock, keys: string[]): Promise<Date | null> {
  if (keys.length === 0) return null;
  const rows = await db.select({ lockedUntil: signInThrottles.lockedUntil }).from(signInThrottles).where(inArray(signInThrottles.key, keys));
  const now = clock.now().getTime();
  const until = rows.map((r) => r.lockedUntil?.getTime() ?? 0).filter((t) => t > now);
  return until.length ? new Date(Math.max(...until)) : null;
}

/**
 * Counts one failure against each key. The Nth consecutive failure locks the key for the
 * configured minutes, doubled for each earlier lockout. Returns the keys that were locked now.
 */
export async function recordFailure(tx: Executor, clock: Clock, config: PortalConfig, keys: string[]): Promise<{ key: string; until: Date; lockouts: number }[]> {
  const locked: { key: string; until: Date; lockouts: number }[] = [];
  const now = clock.now();
  for (const key of keys) {
    const [row] = await tx
      .insert(signInThrottles)
      .values({ key, failures: 1, updatedAt: now })
      .onConflictDoUpdate({ target: signInThrottles.key, set: { failures: sql`${signInThrottles.failures} + 1`, updatedAt: now } })
      .returning({ failures: signInThrottles.failures, lockouts: signInThrottles.lockouts });
    if (row && row.failures >= config.signIn.lockoutAfterFailures) {
      const lockouts = row.lockouts + 1;
      const minutes = config.signIn.lockoutMinutes * 2 ** Math.min(lockouts - 1, 10);
      const until = new Date(now.getTime() + minutes * 60_000);
      await tx
        .update(signInThrottles)
        .set({ failures: 0, lockouts, lockedUntil: until, updatedAt: now })
        .where(sql`${signInThrottles.key} = ${key}`);
      locked.push({ key, until, lockouts });
    }
  }
  return locked;
}

/**
 * A successful sign-in clears the count and lockout history of its account and its client
 * address — but never lifts a lock still in force (account set-up signs in without the lock check).
 */
export async function clearFailures(tx: Executor, clock: Clock, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx
    .update(signInThrottles)
    .set({ failures: 0, lockouts: 0, lockedUntil: null })
    .where(and(inArray(signInThrottles.key, keys), or(isNull(signInThrottles.lockedUntil), lte(signInThrottles.lockedUntil, clock.now()))));
}

// ---------------------------------------------------------------------------------------------
// Rate limits on the public forms other than sign-in (issue 11, security checks)

/**
 * Fixed-window limits: enough for a person who mistypes or asks twice, too few for a script.
 * Counted in the same table as sign-in failures under their own key prefix ("rate:"), never
 * with a lock time, so they are not sign-in locks and do not show on the staff's locks page.
 */
export const PUBLIC_FORM_LIMITS = {
  /** Reset links asked for one address: nobody's inbox is flooded with them. */
  resetPerEmail: { limit: 3, windowMinutes: 15 },
  /** Reset links asked for from one client address, whichever addresses they name. */
  resetPerClient: { limit: 10, windowMinutes: 15 },
  /** Emailed links (reset, set-up) that were not live, from one client address: guessing links. */
  badLinkPerClient: { limit: 10, windowMinutes: 15 },
} as const;
export type RateLimit = { limit: number; windowMinutes: number };

export const rateKey = (form: string, subject: string) => `rate:${form}:${subject}`;

/** What a person reads when a public form has been used too often. */
export function rateLimitedError(limit: RateLimit, what: string): AppError {
  return new AppError("rate_limited", `${what}: rate limit of ${limit.limit} in ${limit.windowMinutes} minutes reached`, `You have tried this too many times. Wait ${limit.windowMinutes} minutes, then try again.`);
}

/**
 * Counts one use against a key and says whether it is within the limit. The window starts
 * with the first use after the last window ended (one statement, so two requests at once
 * both count).
 */
export async function countUse(db: Executor, clock: Clock, key: string, limit: RateLimit): Promise<{ allowed: boolean; count: number }> {
  const now = clock.now();
  const windowStart = new Date(now.getTime() - limit.windowMinutes * 60_000);
  const expired = sql`${signInThrottles.updatedAt} <= ${windowStart}`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ key, failures: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottles.failures} + 1 end`,
        updatedAt: sql`case when ${expired} then ${now} else ${signInThrottles.updatedAt} end`,
      },
    })
    .returning({ failures: signInThrottles.failures });
  const count = row?.failures ?? 1;
  return { allowed: count <= limit.limit, count };
}

/** Whether a key has used up its window, without counting a use. */
export async function overLimit(db: Executor, clock: Clock, key: string, limit: RateLimit): Promise<boolean> {
  const windowStart = new Date(clock.now().getTime() - limit.windowMinutes * 60_000);
  const [row] = await db
    .select({ failures: signInThrottles.failures })
    .from(signInThrottles)
    .where(and(inArray(signInThrottles.key, [key]), sql`${signInThrottles.updatedAt} > ${windowStart}`));
  return (row?.failures ?? 0) >= limit.limit;
}
