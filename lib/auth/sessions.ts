import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { sessions, signInAttempts } from "../db/schema/auth";
import type { Database, Executor } from "../db/types";
import { clearFailures, throttleKeys } from "./throttle";
import type { AuthDeps, ClientInfo } from "./deps";

/**
 * Turns a completed attempt into a session, once: the attempt is consumed atomically, so a
 * replayed attempt id signs nobody in. Returns null when the attempt is not complete.
 */
export async function establishSession(deps: AuthDeps, attemptId: string): Promise<{ sessionId: string; accountId: string } | null> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [attempt] = await tx
      .update(signInAttempts)
      .set({ stage: "used" })
      .where(and(eq(signInAttempts.id, attemptId), eq(signInAttempts.stage, "complete"), sql`${signInAttempts.expiresAt} > ${now}`))
      .returning({ accountId: signInAttempts.accountId, clientAddress: signInAttempts.clientAddress, userAgent: signInAttempts.userAgent });
    if (!attempt?.accountId) return null;
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, attempt.accountId)).limit(1);
    if (!account || account.status !== "active") return null;
    // The client is the one that completed the steps; the attempt recorded it at step 1.
    return openSession(tx, deps, account, { clientAddress: attempt.clientAddress, userAgent: attempt.userAgent });
  });
}

/**
 * Opens a session for an active account whose sign-in attempt the caller has just consumed,
 * inside the caller's transaction: the session row, the last sign-in time, the cleared
 * failure counts and the `sign_in.succeeded` audit event.
 */
export async function openSession(
  tx: Executor,
  deps: Pick<AuthDeps, "clock" | "config">,
  account: { id: string; fullName: string; organisationId: string | null; securityStamp: string },
  client: ClientInfo,
): Promise<{ sessionId: string; accountId: string }> {
  const { clock, config } = deps;
  const now = clock.now();
  const [session] = await tx
    .insert(sessions)
    .values({
      accountId: account.id,
      securityStamp: account.securityStamp,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config.sessions.absoluteHours * 3_600_000),
      clientAddress: client.clientAddress,
      userAgent: client.userAgent,
    })
    .returning({ id: sessions.id });
  await tx.update(accounts).set({ lastSignInAt: now }).where(eq(accounts.id, account.id));
  // Failures count while consecutive, for the account and for the address it signed in from:
  // staff behind one shared address (a care home's router) must not inherit each other's typos forever.
  await clearFailures(tx, clock, throttleKeys(account.id, client.clientAddress));
  await recordAudit(tx, { accountId: account.id, label: account.fullName, channel: "web", ...client }, clock, {
    action: "sign_in.succeeded",
    subjectAccountId: account.id,
    organisationId: account.organisationId,
    detail: { sessionId: session!.id },
  });
  return { sessionId: session!.id, accountId: account.id };
}

export type SessionEndReason = "signed_out" | "idle" | "expired" | "account_not_active" | "credentials_changed" | "organisation_closed" | "compromise_reported";

/** Seen more recently than this, a session's last-seen time is not rewritten (one write every 30 seconds at most). */
const TOUCH_INTERVAL_MS = 30_000;

/**
 * Checks a session on every request (AUP-5.2b): ended, past its absolute lifetime, idle too
 * long, its account no longer active or its secrets/roles changed since — then it ends now.
 */
export async function checkSession(
  deps: { db: Database; config: PortalConfig; clock: Clock },
  sessionId: string,
): Promise<{ sessionId: string; accountId: string } | null> {
  const { db, config, clock } = deps;
  const [row] = await db
    .select({ session: sessions, status: accounts.status, stamp: accounts.securityStamp, fullName: accounts.fullName, organisationId: accounts.organisationId })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  if (!row || row.session.endedAt) return null;
  const now = clock.now();
  const idleLimit = row.session.lastSeenAt.getTime() + config.sessions.idleMinutes * 60_000;
  const reason: SessionEndReason | null =
    row.session.expiresAt <= now
      ? "expired"
      : idleLimit <= now.getTime()
        ? "idle"
        : row.status !== "active"
          ? "account_not_active"
          : row.stamp !== row.session.securityStamp
            ? "credentials_changed"
            : null;
  if (reason) {
    await db.transaction((tx) =>
      endSession(tx, clock, sessionId, reason, { accountId: row.session.accountId, label: row.fullName, channel: "web" }, row.organisationId),
    );
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
  }
  return { sessionId, accountId: row.session.accountId };
}

/** Ends one session (sign-out, timeout) with its audit event; ending an ended session does nothing. */
export async function endSession(tx: Executor, clock: Clock, sessionId: string, reason: SessionEndReason, actor: Actor, organisationId: string | null): Promise<boolean> {
  const [ended] = await tx
    .update(sessions)
    .set({ endedAt: clock.now(), endReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)))
    .returning({ accountId: sessions.accountId });
  if (!ended) return false;
  await recordAudit(tx, actor, clock, {
    action: reason === "signed_out" ? "sign_in.signed_out" : "session.ended",
    subjectAccountId: ended.accountId,
    organisationId,
    detail: { sessionId, reason },
  });
  return true;
}

/**
 * Ends every live session of the given accounts in one statement (suspension, closure,
 * rotation), and bumps their security stamps so any token still held is refused.
 */
export async function endAllSessions(tx: Executor, clock: Clock, accountIds: string[], reason: SessionEndReason): Promise<number> {
  if (accountIds.length === 0) return 0;
  const now = clock.now();
  await tx.update(accounts).set({ securityStamp: sql`gen_random_uuid()`, updatedAt: now }).where(sql`${accounts.id} in ${accountIds}`);
  const ended = await tx
    .update(sessions)
    .set({ endedAt: now, endReason: reason })
    .where(and(sql`${sessions.accountId} in ${accountIds}`, isNull(sessions.endedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}
