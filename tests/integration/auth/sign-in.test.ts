import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { signInFailedMessage } from "@/lib/auth/messages";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/passwords";
import { attemptChallenge } from "@/lib/auth/sign-in/attempt-challenge";
import { passwordStepSchema, startSignIn } from "@/lib/auth/sign-in/start-sign-in";
import { submitSecurityDigits } from "@/lib/auth/sign-in/submit-security-digits";
import { checkSession, establishSession } from "@/lib/auth/sessions";
import { tables } from "@/lib/db";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import {
  DAN,
  LEE,
  PRIYA,
  accountByEmail,
  auditOf,
  createAccount,
  createAuthWorld,
  digitsAt,
  insider,
  oneDigitWrong,
  outsider,
  outboxOf,
  signInSteps,
  type AuthWorld,
} from "./fixtures";

// Watch the password checks (calling through to the real argon2) to prove the decoy is verified.
vi.mock("@/lib/auth/passwords", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/auth/passwords")>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword), decoyPasswordHash: vi.fn(actual.decoyPasswordHash) };
});

/** The two-step sign-in (AUP-4.2): password, then digits at positions chosen for the attempt. */

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});
beforeEach(() => {
  vi.mocked(verifyPassword).mockClear();
  vi.mocked(decoyPasswordHash).mockClear();
});

describe("two-step sign-in", () => {
  it("AUP-4.2 the demo Lead correspondent signs in with password, then the asked digits, and gets a session", async () => {
    const { deps } = world;
    const client = insider();
    const priya = await accountByEmail(deps, PRIYA);

    const { attemptId, positions } = await startSignIn(deps, passwordStepSchema.parse({ email: ` ${PRIYA.toUpperCase()} `, password: DEMO_PASSWORD }), client);
    expect(positions).toHaveLength(3);
    expect(new Set(positions).size).toBe(3);
    for (const p of positions) expect([1, 2, 3, 4, 5, 6]).toContain(p);
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toEqual({ stage: "digits", positions });

    const step = await submitSecurityDigits(deps, { attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, positions) }, client);
    expect(step).toEqual({ next: "complete" });
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toEqual({ stage: "complete" });

    const session = await establishSession(deps, attemptId);
    expect(session).toEqual({ sessionId: expect.any(String), accountId: priya.id });
    expect(await checkSession(deps, session!.sessionId)).toEqual(session);

    const [succeeded] = (await auditOf(deps, "sign_in.succeeded", priya.id)).slice(-1);
    expect(succeeded).toMatchObject({
      actorId: priya.id,
      channel: "web",
      organisationId: priya.organisationId,
      clientAddress: client.clientAddress,
      userAgent: client.userAgent,
      detail: { sessionId: session!.sessionId },
    });
    const [after] = await deps.db.select().from(tables.accounts).where(eq(tables.accounts.id, priya.id));
    expect(after!.lastSignInAt).toEqual(deps.clock.now());
    // Nothing was emailed: the client is on a trusted network.
    expect(await outboxOf(deps, "sign_in_code")).toHaveLength(0);
  });

  it("AUP-4.2 the web's step 2 opens the session in the transaction that checks the digits, once, with the same record", async () => {
    const { deps } = world;
    const client = insider();
    const priya = await accountByEmail(deps, PRIYA);
    const { attemptId, positions } = await startSignIn(deps, passwordStepSchema.parse({ email: PRIYA, password: DEMO_PASSWORD }), client);
    const digits = digitsAt(DEMO_SECURITY_NUMBER, positions);

    const step = await submitSecurityDigits(deps, { attemptId, digits }, client, { openSession: true });
    expect(step).toEqual({ next: "signed_in", session: { sessionId: expect.any(String), accountId: priya.id } });
    const session = step.next === "signed_in" ? step.session : null;
    expect(await checkSession(deps, session!.sessionId)).toEqual(session);
    const [succeeded] = (await auditOf(deps, "sign_in.succeeded", priya.id)).slice(-1);
    expect(succeeded).toMatchObject({ actorId: priya.id, clientAddress: client.clientAddress, userAgent: client.userAgent, detail: { sessionId: session!.sessionId } });

    // The attempt is used up: neither the digits again nor establishSession make a second session.
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toBeNull();
    expect(await submitSecurityDigits(deps, { attemptId, digits }, client, { openSession: true })).toEqual({ next: "failed" });
    expect(await establishSession(deps, attemptId)).toBeNull();
    expect((await auditOf(deps, "sign_in.succeeded", priya.id)).filter((e) => (e.detail as { sessionId?: string }).sessionId === session!.sessionId)).toHaveLength(1);
  });

  it("UCP-NET-1 off a trusted network, step 2 with openSession still asks for the emailed code and opens nothing", async () => {
    const { deps } = world;
    const client = outsider();
    const { attemptId, positions } = await startSignIn(deps, passwordStepSchema.parse({ email: PRIYA, password: DEMO_PASSWORD }), client);
    expect(await submitSecurityDigits(deps, { attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, positions) }, client, { openSession: true })).toEqual({ next: "email_code" });
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toEqual({ stage: "email_code" });
  });

  it("AUP-4.2 an account created in the test signs in with its own password and security number", async () => {
    const { deps } = world;
    const person = await createAccount(deps, { password: "harbour lights over quiet water", securityNumber: "730518" });
    const client = insider();
    const { attemptId, step } = await signInSteps(deps, client, { email: person.email, password: "harbour lights over quiet water", securityNumber: "730518" });
    expect(step).toEqual({ next: "complete" });
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: person.id });

    // The demo number is not this person's number.
    const wrong = await signInSteps(deps, insider(), { email: person.email, password: "harbour lights over quiet water", securityNumber: DEMO_SECURITY_NUMBER });
    expect(wrong.step).toEqual({ next: "failed" });
  });

  it("AUP-4.2 an unknown email goes through the same steps, has a decoy hash verified, and fails only at the end", async () => {
    const { deps } = world;
    const client = insider();
    const input = passwordStepSchema.parse({ email: "nobody.here@meadowbank-care.example.org", password: DEMO_PASSWORD });

    const started = await startSignIn(deps, input, client);
    // The same shape as for a real account: an attempt id and three positions to ask for.
    expect(Object.keys(started).sort()).toEqual(["attemptId", "positions"]);
    expect(started.positions).toHaveLength(3);
    expect(await attemptChallenge(deps.db, deps.clock, started.attemptId)).toEqual({ stage: "digits", positions: started.positions });
    // A password hash was verified — the decoy, an argon2id hash nobody's password matches.
    expect(decoyPasswordHash).toHaveBeenCalled();
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    const [decoyHash, given] = vi.mocked(verifyPassword).mock.calls[0]!;
    expect(decoyHash).toBe(await decoyPasswordHash());
    expect(decoyHash).toMatch(/^\$argon2id\$/);
    expect(given).toBe(DEMO_PASSWORD);

    const step = await submitSecurityDigits(deps, { attemptId: started.attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, started.positions) }, client);
    expect(step).toEqual({ next: "failed" });
    expect(await establishSession(deps, started.attemptId)).toBeNull();

    const [failed] = (await auditOf(deps, "sign_in.failed", null)).slice(-1);
    expect(failed).toMatchObject({ actorId: null, actorLabel: "Unknown user", clientAddress: client.clientAddress, userAgent: client.userAgent, detail: { reason: "unknown_account" } });
  });

  it("AUP-4.2 a known email verifies its own hash, not the decoy", async () => {
    const { deps } = world;
    const priya = await accountByEmail(deps, PRIYA);
    await startSignIn(deps, passwordStepSchema.parse({ email: PRIYA, password: "not-the-password-at-all" }), insider());
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(vi.mocked(verifyPassword).mock.calls[0]![0]).toBe(priya.passwordHash);
  });

  it("AUP-4.2 a wrong digit fails with the generic answer and audits sign_in.failed with client address and user agent", async () => {
    const { deps } = world;
    const person = await createAccount(deps); // failures here must not lock the demo account for later tests
    const client = { clientAddress: "10.77.1.2", userAgent: "Mozilla/5.0 (Vitest wrong digit)" };
    const { attemptId, step } = await signInSteps(deps, client, { email: person.email, wrongDigit: true });
    expect(step).toEqual({ next: "failed" });
    // The attempt is over: the same attempt cannot be tried again, nor turned into a session.
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toBeNull();
    expect(await establishSession(deps, attemptId)).toBeNull();

    const [failed] = (await auditOf(deps, "sign_in.failed", person.id)).slice(-1);
    expect(failed).toMatchObject({
      actorId: person.id,
      organisationId: person.organisationId,
      channel: "web",
      clientAddress: "10.77.1.2",
      userAgent: "Mozilla/5.0 (Vitest wrong digit)",
      detail: { reason: "wrong_digits" },
    });
    // The audit record holds why, never the digits given or the number.
    expect(failed!.detail).toEqual({ reason: "wrong_digits" });
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });

  it("AUP-4.2 every kind of failure gives the same answer; only the audit log says why", async () => {
    const { deps, config } = world;
    const person = await createAccount(deps);
    const outcomes = [
      { email: person.email, wrongDigit: true, reason: "wrong_digits" },
      { email: person.email, password: "wrong-password-entirely", reason: "wrong_password" },
      { email: "no.such.person@meadowbank-care.example.org", reason: "unknown_account" },
      { email: LEE, reason: "not_active" },
      { email: DAN, reason: "not_set_up" },
    ];
    for (const outcome of outcomes) {
      const client = insider();
      const { step } = await signInSteps(deps, client, outcome);
      expect(step, outcome.reason).toEqual({ next: "failed" });
      const events = await auditOf(deps, "sign_in.failed");
      expect(events.at(-1), outcome.reason).toMatchObject({ clientAddress: client.clientAddress, detail: { reason: outcome.reason } });
    }
    // The one message people see names no part of what they entered.
    const message = signInFailedMessage(config);
    expect(message).toMatch(/^The details you entered are not right, or your account cannot sign in at the moment/);
    expect(message).not.toMatch(/password is|digit is|security number is|no account|unknown/i);
    expect(message).toContain("After 5 failed attempts");
    expect(message).toContain("15 minutes");
  });
});

describe("the positions belong to the attempt", () => {
  it("AUP-4.2 the digits for other positions are refused, even when they are the user's real digits", async () => {
    const { deps } = world;
    const client = insider();
    const person = await createAccount(deps);
    const { attemptId, positions } = await startSignIn(deps, passwordStepSchema.parse({ email: person.email, password: DEMO_PASSWORD }), client);
    const other = [1, 2, 3, 4, 5, 6].filter((p) => !positions.includes(p)); // all six digits of 284915 differ
    const step = await submitSecurityDigits(deps, { attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, other) }, client);
    expect(step).toEqual({ next: "failed" });
  });

  it("AUP-4.2 the positions stay the same for the life of an attempt, and are never asked again after it ends", async () => {
    const { deps } = world;
    const client = insider();
    const person = await createAccount(deps);
    const { attemptId, positions } = await startSignIn(deps, passwordStepSchema.parse({ email: person.email, password: DEMO_PASSWORD }), client);
    for (let i = 0; i < 5; i++) {
      expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toEqual({ stage: "digits", positions });
    }
    const [stored] = await deps.db.select().from(tables.signInAttempts).where(eq(tables.signInAttempts.id, attemptId));
    expect(stored!.positions).toEqual(positions);

    expect(await submitSecurityDigits(deps, { attemptId, digits: oneDigitWrong(digitsAt(DEMO_SECURITY_NUMBER, positions)) }, client)).toEqual({ next: "failed" });
    // A second go at the same attempt — even with the right digits — is refused.
    expect(await submitSecurityDigits(deps, { attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, positions) }, client)).toEqual({ next: "failed" });
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toBeNull();
  });

  it("AUP-4.2 each attempt draws its own positions", async () => {
    const { deps } = world;
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { positions } = await startSignIn(deps, passwordStepSchema.parse({ email: PRIYA, password: DEMO_PASSWORD }), insider());
      seen.add(positions.join(","));
    }
    // 20 possible sets: twelve draws all alike would happen with probability 20^-11.
    expect(seen.size).toBeGreaterThan(1);
  });

  it("AUP-4.2 an attempt expires after 5 minutes: the digits are refused then, and the expiry is audited but not counted as a guess", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);

    // Just inside the five minutes, the digits are accepted.
    const early = await startSignIn(deps, passwordStepSchema.parse({ email: person.email, password: DEMO_PASSWORD }), insider());
    clock.advance(5 * 60_000 - 1);
    expect(await attemptChallenge(deps.db, deps.clock, early.attemptId)).toMatchObject({ stage: "digits" });
    expect(await submitSecurityDigits(deps, { attemptId: early.attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, early.positions) }, insider())).toEqual({ next: "complete" });

    // At five minutes, they are not.
    const client = insider();
    const late = await startSignIn(deps, passwordStepSchema.parse({ email: person.email, password: DEMO_PASSWORD }), client);
    clock.advance(5 * 60_000);
    expect(await attemptChallenge(deps.db, deps.clock, late.attemptId)).toBeNull();
    expect(await submitSecurityDigits(deps, { attemptId: late.attemptId, digits: digitsAt(DEMO_SECURITY_NUMBER, late.positions) }, client)).toEqual({ next: "failed" });
    const [failed] = (await auditOf(deps, "sign_in.failed", person.id)).slice(-1);
    expect(failed).toMatchObject({ clientAddress: client.clientAddress, detail: { reason: "expired" } });
    const throttles = await deps.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `address:${client.clientAddress}`));
    expect(throttles).toHaveLength(0);
  });

  it("AUP-4.2 attemptChallenge knows nothing of malformed or unknown attempt ids", async () => {
    const { deps } = world;
    expect(await attemptChallenge(deps.db, deps.clock, "not-an-id")).toBeNull();
    expect(await attemptChallenge(deps.db, deps.clock, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await submitSecurityDigits(deps, { attemptId: "00000000-0000-4000-8000-000000000000", digits: ["1", "2", "3"] }, insider())).toEqual({ next: "failed" });
  });
});
