import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { encodeSessionToken, sessionFromToken } from "@/lib/auth/session-token";
import { checkSession, endAllSessions, endSession, establishSession } from "@/lib/auth/sessions";
import { passwordStepSchema, startSignIn } from "@/lib/auth/sign-in/start-sign-in";
import { tables } from "@/lib/db";
import { DEMO_PASSWORD } from "@/lib/demo/demo-data";
import { auditOf, createAccount, createAuthWorld, insider, liveSessions, signInSteps, type AuthWorld } from "./fixtures";

/** Sessions: made once from a completed attempt, checked on every request, ended for good reasons. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});

/** A new active account, signed in from a trusted network; returns its session. */
async function signedIn(account?: Awaited<ReturnType<typeof createAccount>>) {
  const person = account ?? (await createAccount(world.deps));
  const client = insider();
  const { attemptId, step } = await signInSteps(world.deps, client, { email: person.email });
  expect(step).toEqual({ next: "complete" });
  const session = await establishSession(world.deps, attemptId);
  if (!session) throw new Error("no session");
  return { person, client, attemptId, sessionId: session.sessionId };
}

async function sessionRow(sessionId: string) {
  const [row] = await world.deps.db.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId));
  return row!;
}

async function endedEvent(sessionId: string) {
  const events = await auditOf(world.deps, "session.ended");
  return events.find((e) => (e.detail as { sessionId?: string }).sessionId === sessionId);
}

describe("establishSession", () => {
  it("AUP-4.2 turns a completed attempt into a session exactly once", async () => {
    const { deps } = world;
    const { person, client, attemptId, sessionId } = await signedIn();
    const row = await sessionRow(sessionId);
    expect(row).toMatchObject({
      accountId: person.id,
      createdAt: deps.clock.now(),
      lastSeenAt: deps.clock.now(),
      expiresAt: new Date(deps.clock.now().getTime() + 10 * HOUR),
      endedAt: null,
      clientAddress: client.clientAddress,
      userAgent: client.userAgent,
    });
    // A replayed attempt id signs nobody in, and records no second success.
    expect(await establishSession(deps, attemptId)).toBeNull();
    expect(await auditOf(deps, "sign_in.succeeded", person.id)).toHaveLength(1);
    expect(await liveSessions(deps, person.id)).toHaveLength(1);
  });

  it("AUP-4.2 two racing uses of one completed attempt make one session", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { attemptId, step } = await signInSteps(deps, insider(), { email: person.email });
    expect(step).toEqual({ next: "complete" });
    const results = await Promise.all([establishSession(deps, attemptId), establishSession(deps, attemptId), establishSession(deps, attemptId)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await liveSessions(deps, person.id)).toHaveLength(1);
  });

  it("AUP-4.2 an attempt still at the digits step, failed, or unknown makes no session", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { attemptId } = await startSignIn(deps, passwordStepSchema.parse({ email: person.email, password: DEMO_PASSWORD }), insider());
    expect(await establishSession(deps, attemptId)).toBeNull();
    const failed = await signInSteps(deps, insider(), { email: person.email, wrongDigit: true });
    expect(await establishSession(deps, failed.attemptId)).toBeNull();
    expect(await establishSession(deps, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await liveSessions(deps, person.id)).toHaveLength(0);
  });

  it("AUP-4.2 an account suspended between the steps and the session gets no session", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { attemptId } = await signInSteps(deps, insider(), { email: person.email });
    await deps.db.update(tables.accounts).set({ status: "suspended" }).where(eq(tables.accounts.id, person.id));
    expect(await establishSession(deps, attemptId)).toBeNull();
    expect(await liveSessions(deps, person.id)).toHaveLength(0);
  });
});

describe("checkSession", () => {
  it("AUP-5.2b ends a session left idle for 20 minutes, and audits it", async () => {
    const { deps, clock } = world;
    const { person, sessionId } = await signedIn();
    // Active every 19 minutes for two hours: still signed in.
    for (let i = 0; i < 6; i++) {
      clock.advance(19 * MINUTE);
      expect(await checkSession(deps, sessionId)).toEqual({ sessionId, accountId: person.id });
    }
    expect((await sessionRow(sessionId)).lastSeenAt).toEqual(clock.now());
    clock.advance(20 * MINUTE);
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endedAt: clock.now(), endReason: "idle" });
    expect(await endedEvent(sessionId)).toMatchObject({ actorId: person.id, subjectAccountId: person.id, organisationId: person.organisationId, detail: { sessionId, reason: "idle" } });
    // Ended for good: coming back does not revive it.
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect((await auditOf(deps, "session.ended", person.id)).filter((e) => (e.detail as { sessionId: string }).sessionId === sessionId)).toHaveLength(1);
  });

  it("AUP-5.2b the idle limit is exact: 20 minutes less a moment is still fine", async () => {
    const { deps, clock } = world;
    const { sessionId } = await signedIn();
    clock.advance(20 * MINUTE - 1);
    expect(await checkSession(deps, sessionId)).not.toBeNull();
  });

  it("AUP-5.2b ends a session at its absolute lifetime of 10 hours, however active", async () => {
    const { deps, clock } = world;
    const { person, sessionId } = await signedIn();
    const started = clock.now().getTime();
    while (clock.now().getTime() + 10 * MINUTE < started + 10 * HOUR) {
      clock.advance(10 * MINUTE);
      expect(await checkSession(deps, sessionId)).toEqual({ sessionId, accountId: person.id });
    }
    clock.set(new Date(started + 10 * HOUR - 1));
    expect(await checkSession(deps, sessionId)).not.toBeNull();
    clock.set(new Date(started + 10 * HOUR));
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "expired" });
    expect(await endedEvent(sessionId)).toMatchObject({ detail: { reason: "expired" } });
  });

  it("AUP-5.2b the lifetimes come from configuration", async () => {
    const { deps, clock, config } = world;
    const { sessionId } = await signedIn();
    const short = { ...deps, config: { ...config, sessions: { idleMinutes: 5, absoluteHours: 1 } } };
    clock.advance(5 * MINUTE);
    expect(await checkSession(short, sessionId)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "idle" });
  });

  it("ends a session when its account is suspended", async () => {
    const { deps } = world;
    const { person, sessionId } = await signedIn();
    await deps.db.update(tables.accounts).set({ status: "suspended" }).where(eq(tables.accounts.id, person.id));
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "account_not_active" });
    expect(await endedEvent(sessionId)).toMatchObject({ detail: { reason: "account_not_active" } });
    // Reinstated later, the old session stays ended.
    await deps.db.update(tables.accounts).set({ status: "active" }).where(eq(tables.accounts.id, person.id));
    expect(await checkSession(deps, sessionId)).toBeNull();
  });

  it("ends a session when the account's security stamp changes (secrets or roles changed)", async () => {
    const { deps } = world;
    const { person, sessionId } = await signedIn();
    await deps.db.update(tables.accounts).set({ securityStamp: "6f1c1c3e-7a55-4e0b-9c57-0c1f0a1b2c3d" }).where(eq(tables.accounts.id, person.id));
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "credentials_changed" });
  });

  it("knows nothing of an unknown session id", async () => {
    expect(await checkSession(world.deps, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

describe("sessionFromToken (the authentication cookie, read on every request)", () => {
  const SECRET = "a-test-secret-of-enough-length-0123456789";

  it("AUP-5.2b reads back the session its own token names while the session is live", async () => {
    const { person, sessionId } = await signedIn();
    const token = await encodeSessionToken(SECRET, { sessionId, accountId: person.id }, 3600);
    expect(await sessionFromToken(world.deps, SECRET, token)).toEqual({ sessionId, accountId: person.id });
  });

  it("AUP-5.2b a token for a session that has ended signs nobody in", async () => {
    const { deps } = world;
    const { person, sessionId } = await signedIn();
    const token = await encodeSessionToken(SECRET, { sessionId, accountId: person.id }, 3600);
    await deps.db.update(tables.accounts).set({ status: "suspended" }).where(eq(tables.accounts.id, person.id));
    expect(await sessionFromToken(deps, SECRET, token)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "account_not_active" });
  });

  it("no cookie, another secret, an altered or expired token, or claims for someone else: signed out", async () => {
    const { deps } = world;
    const { person, sessionId } = await signedIn();
    const token = await encodeSessionToken(SECRET, { sessionId, accountId: person.id }, 3600);
    expect(await sessionFromToken(deps, SECRET, undefined)).toBeNull();
    expect(await sessionFromToken(deps, SECRET, "")).toBeNull();
    expect(await sessionFromToken(deps, `${SECRET}-other`, token)).toBeNull();
    expect(await sessionFromToken(deps, SECRET, `${token.slice(0, -4)}AAAA`)).toBeNull();
    expect(await sessionFromToken(deps, SECRET, "not-a-jwt")).toBeNull();
    const someoneElse = await createAccount(deps);
    expect(await sessionFromToken(deps, SECRET, await encodeSessionToken(SECRET, { sessionId, accountId: someoneElse.id }, 3600))).toBeNull();
    // The JWT's own expiry is checked against the real time (next-auth's decoder), whatever the portal's clock says.
    expect(await sessionFromToken(deps, SECRET, await encodeSessionToken(SECRET, { sessionId, accountId: person.id }, -60))).toBeNull();
    // The session itself is untouched by the refusals, and still reads back.
    expect(await sessionFromToken(deps, SECRET, token)).toEqual({ sessionId, accountId: person.id });
  });
});

describe("ending sessions", () => {
  it("endSession signs one session out with its audit event; a second end does nothing", async () => {
    const { deps } = world;
    const { person, sessionId } = await signedIn();
    const actor = { accountId: person.id, label: person.fullName, channel: "web" as const, clientAddress: "10.1.1.1", userAgent: "Vitest" };
    expect(await deps.db.transaction((tx) => endSession(tx, deps.clock, sessionId, "signed_out", actor, person.organisationId))).toBe(true);
    expect(await deps.db.transaction((tx) => endSession(tx, deps.clock, sessionId, "signed_out", actor, person.organisationId))).toBe(false);
    expect(await checkSession(deps, sessionId)).toBeNull();
    const events = (await auditOf(deps, "sign_in.signed_out", person.id)).filter((e) => (e.detail as { sessionId: string }).sessionId === sessionId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ clientAddress: "10.1.1.1", detail: { reason: "signed_out" } });
  });

  it("endAllSessions ends every live session of the given accounts only, and bumps their security stamps", async () => {
    const { deps } = world;
    const a = await signedIn();
    const a2 = await signedIn(a.person);
    const b = await signedIn();
    const bystander = await signedIn();
    const before = await Promise.all([a.person.id, b.person.id, bystander.person.id].map(async (id) => (await deps.db.select().from(tables.accounts).where(eq(tables.accounts.id, id)))[0]!));

    const ended = await deps.db.transaction((tx) => endAllSessions(tx, deps.clock, [a.person.id, b.person.id], "organisation_closed"));
    expect(ended).toBe(3);
    for (const s of [a, a2, b]) {
      expect(await sessionRow(s.sessionId)).toMatchObject({ endedAt: deps.clock.now(), endReason: "organisation_closed" });
      expect(await checkSession(deps, s.sessionId)).toBeNull();
    }
    expect(await checkSession(deps, bystander.sessionId)).not.toBeNull();

    const after = await Promise.all([a.person.id, b.person.id, bystander.person.id].map(async (id) => (await deps.db.select().from(tables.accounts).where(eq(tables.accounts.id, id)))[0]!));
    expect(after[0]!.securityStamp).not.toBe(before[0]!.securityStamp);
    expect(after[1]!.securityStamp).not.toBe(before[1]!.securityStamp);
    expect(after[2]!.securityStamp).toBe(before[2]!.securityStamp);

    // Already-ended sessions are not counted again; no accounts, nothing to do.
    expect(await deps.db.transaction((tx) => endAllSessions(tx, deps.clock, [a.person.id], "organisation_closed"))).toBe(0);
    expect(await deps.db.transaction((tx) => endAllSessions(tx, deps.clock, [], "organisation_closed"))).toBe(0);
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });
});
