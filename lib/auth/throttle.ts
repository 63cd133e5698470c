import { and, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { signInThrottles } from "../db/schema/auth";
import type { Executor } from "../db/types";

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
