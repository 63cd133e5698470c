import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { completeSecretReset, resetLinkPurpose } from "@/lib/auth/recovery/complete-secret-reset";
import { reportCompromise } from "@/lib/auth/recovery/report-compromise";
import { requestSecretReset, resetRequestSchema } from "@/lib/auth/recovery/request-secret-reset";
import { checkSession, establishSession } from "@/lib/auth/sessions";
import { openSecurityNumber } from "@/lib/auth/security-number";
import { tables } from "@/lib/db";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import { AppError } from "@/lib/errors";
import { BASE_URL, LEE, accountByEmail, auditOf, createAccount, createAuthWorld, insider, liveSessions, outboxOf, signInSteps, type AuthWorld } from "./fixtures";

/** Getting back in: reset by emailed single-use link; "my details may be known" (UAP-3.3). */

const HOUR = 3_600_000;

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});

async function signedIn(email: string) {
  const { attemptId, step } = await signInSteps(world.deps, insider(), { email });
  expect(step).toEqual({ next: "complete" });
  const session = await establishSession(world.deps, attemptId);
  if (!session) throw new Error("no session");
  return session.sessionId;
}

/** Asks for a reset and returns the token from the email. */
async function resetToken(email: string, which: "password" | "security_number") {
  const { deps } = world;
  await requestSecretReset(deps, resetRequestSchema.parse({ email, which }), insider());
  const message = (await outboxOf(deps, `reset_${which}`)).filter((m) => m.to.includes(email)).at(-1);
  if (!message) throw new Error(`no reset email to ${email}`);
  const token = new RegExp(`${BASE_URL}/reset/([A-Za-z0-9_-]+)`).exec(message.text)?.[1];
  if (!token) throw new Error(`no reset link in: ${message.text}`);
  return { token, message };
}

async function appError(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("reset by emailed link", () => {
  it("a forgotten password is reset through a single-use link sent to the account's own address; every session ends", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const sessionId = await signedIn(person.email);
    const client = insider();

    await requestSecretReset(deps, resetRequestSchema.parse({ email: ` ${person.email.toUpperCase()} `, which: "password" }), client);
    const [message] = (await outboxOf(deps, "reset_password")).filter((m) => m.to.includes(person.email));
    expect(message).toMatchObject({ to: [person.email], cc: [], sensitive: true });
    const token = new RegExp(`${BASE_URL}/reset/([A-Za-z0-9_-]+)`).exec(message!.text)![1]!;
    expect(await auditOf(deps, "account.reset_requested", person.id)).toEqual([
      expect.objectContaining({ clientAddress: client.clientAddress, detail: { which: "password" } }),
    ]);
    expect(await resetLinkPurpose(deps, token)).toBe("password");

    await completeSecretReset(deps, { token, secret: "a brand new passphrase for me", confirm: "a brand new passphrase for me" }, client);
    expect(await checkSession(deps, sessionId)).toBeNull();
    expect(await liveSessions(deps, person.id)).toHaveLength(0);
    expect((await signInSteps(deps, insider(), { email: person.email })).step).toEqual({ next: "failed" });
    expect((await signInSteps(deps, insider(), { email: person.email, password: "a brand new passphrase for me" })).step).toEqual({ next: "complete" });
    const [reset] = await auditOf(deps, "account.secret_reset", person.id);
    expect(reset).toMatchObject({ clientAddress: client.clientAddress, detail: { which: "password", sessionsEnded: 1 } });
    expect(JSON.stringify(reset!.detail)).not.toContain("brand new");

    // Single use.
    expect(await resetLinkPurpose(deps, token)).toBeNull();
    const again = await appError(completeSecretReset(deps, { token, secret: "yet another passphrase here", confirm: "yet another passphrase here" }, client));
    expect(again.code).toBe("not_found");
    expect((await signInSteps(deps, insider(), { email: person.email, password: "a brand new passphrase for me" })).step).toEqual({ next: "complete" });
  });

  it("a forgotten security number is reset the same way", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { token } = await resetToken(person.email, "security_number");
    expect(await resetLinkPurpose(deps, token)).toBe("security_number");
    await completeSecretReset(deps, { token, secret: " 730518 ", confirm: "730518" }, insider());
    const after = await accountByEmail(deps, person.email);
    expect(openSecurityNumber(deps.secretsKey, after.securityNumberSealed!)).toBe("730518");
    expect((await signInSteps(deps, insider(), { email: person.email, securityNumber: "730518" })).step).toEqual({ next: "complete" });
    expect((await signInSteps(deps, insider(), { email: person.email, securityNumber: DEMO_SECURITY_NUMBER })).step).toEqual({ next: "failed" });
  });

  it("the reset link expires after an hour", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);
    const sentAt = clock.now().getTime();
    const { token } = await resetToken(person.email, "password");
    clock.set(new Date(sentAt + HOUR - 1));
    expect(await resetLinkPurpose(deps, token)).toBe("password");
    clock.set(new Date(sentAt + HOUR));
    expect(await resetLinkPurpose(deps, token)).toBeNull();
    expect(await appError(completeSecretReset(deps, { token, secret: "a brand new passphrase for me", confirm: "a brand new passphrase for me" }, insider()))).toMatchObject({
      code: "not_found",
    });
  });

  it("asking again makes the earlier link stop working", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { token: first } = await resetToken(person.email, "password");
    const { token: second } = await resetToken(person.email, "password");
    expect(await resetLinkPurpose(deps, first)).toBeNull();
    expect(await resetLinkPurpose(deps, second)).toBe("password");
  });

  it("a password link cannot reset the security number, nor the reverse", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { token } = await resetToken(person.email, "password");
    const error = await appError(completeSecretReset(deps, { token, secret: "730518", confirm: "730518" }, insider()));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors.secret).toMatch(/at least 12 characters/);
    const after = await accountByEmail(deps, person.email);
    expect(openSecurityNumber(deps.secretsKey, after.securityNumberSealed!)).toBe(DEMO_SECURITY_NUMBER);
  });

  it("refuses weak or mismatched new secrets and leaves the link usable", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { token } = await resetToken(person.email, "security_number");
    for (const [secret, confirm, field, message] of [
      ["000000", "000000", "secret", /too easy to guess/],
      ["12345", "12345", "secret", /6 digits/],
      ["730518", "730519", "confirm", /do not match/],
    ] as const) {
      const error = await appError(completeSecretReset(deps, { token, secret, confirm }, insider()));
      expect(error.code).toBe("validation");
      expect(error.fieldErrors[field]).toMatch(message);
    }
    expect(await resetLinkPurpose(deps, token)).toBe("security_number");
  });

  it("an unknown or suspended address gets no email, and the answer is the same", async () => {
    const { deps } = world;
    const before = (await outboxOf(deps, "reset_password")).length;
    await expect(requestSecretReset(deps, resetRequestSchema.parse({ email: "no.such.person@meadowbank-care.example.org", which: "password" }), insider())).resolves.toBeUndefined();
    await expect(requestSecretReset(deps, resetRequestSchema.parse({ email: LEE, which: "password" }), insider())).resolves.toBeUndefined();
    expect(await outboxOf(deps, "reset_password")).toHaveLength(before);
  });
});

describe("reportCompromise", () => {
  const input = {
    password: "otters juggling marmalade jars",
    passwordConfirm: "otters juggling marmalade jars",
    securityNumber: "418273",
    securityNumberConfirm: "418273",
    note: "I typed my password into a page that looked wrong.",
  };

  it("UAP-3.3 changes password and security number at once, ends every session, and sends operator staff a security report", async () => {
    const { deps, config } = world;
    const person = await createAccount(deps, { fullName: "Jo Compromised" });
    const first = await signedIn(person.email);
    const second = await signedIn(person.email);
    const bystander = await createAccount(deps);
    const bystanderSession = await signedIn(bystander.email);
    const client = { clientAddress: "10.44.4.4", userAgent: "Vitest compromise" };

    await reportCompromise(deps, person.id, input, client);

    // Both secrets rotated: the old ones fail, the new ones work.
    const after = await accountByEmail(deps, person.email);
    expect(openSecurityNumber(deps.secretsKey, after.securityNumberSealed!)).toBe("418273");
    expect(after.securityStamp).not.toBe(person.securityStamp);
    expect((await signInSteps(deps, insider(), { email: person.email })).step).toEqual({ next: "failed" });
    expect((await signInSteps(deps, insider(), { email: person.email, password: input.password, securityNumber: DEMO_SECURITY_NUMBER })).step).toEqual({ next: "failed" });
    expect((await signInSteps(deps, insider(), { email: person.email, password: input.password, securityNumber: "418273" })).step).toEqual({ next: "complete" });

    // Every session of theirs ended; nobody else's.
    for (const sessionId of [first, second]) {
      expect(await checkSession(deps, sessionId)).toBeNull();
      const [row] = await deps.db.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId));
      expect(row!.endReason).toBe("compromise_reported");
    }
    expect(await checkSession(deps, bystanderSession)).not.toBeNull();

    // Operator staff are told, at the operator's mailbox.
    const [report] = (await outboxOf(deps, "security_report")).filter((m) => m.subject.includes("Jo Compromised"));
    expect(report).toMatchObject({ to: [config.operator.mailbox], status: "pending" });
    expect(report!.subject).toBe("Security report: Jo Compromised (Meadowbank Care Ltd) may be compromised");
    expect(report!.text).toContain(person.email);
    expect(report!.text).toContain("10.44.4.4");
    expect(report!.text).toContain("2 session(s) ended");
    expect(report!.text).toContain(input.note);
    expect(report!.text).not.toContain(input.password);
    expect(report!.text).not.toContain("418273");

    const [event] = await auditOf(deps, "account.compromise_reported", person.id);
    expect(event).toMatchObject({ actorId: person.id, clientAddress: "10.44.4.4", userAgent: "Vitest compromise", detail: { sessionsEnded: 2, note: input.note } });
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });

  it("UAP-3.3 with unacceptable new secrets nothing changes: no rotation, no session ended, no report", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const sessionId = await signedIn(person.email);
    const reportsBefore = (await outboxOf(deps, "security_report")).length;
    const error = await appError(reportCompromise(deps, person.id, { ...input, securityNumber: "111111", securityNumberConfirm: "111111" }, insider()));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors.securityNumber).toMatch(/too easy to guess/);
    expect(await checkSession(deps, sessionId)).not.toBeNull();
    expect(await outboxOf(deps, "security_report")).toHaveLength(reportsBefore);
    expect(await auditOf(deps, "account.compromise_reported", person.id)).toHaveLength(0);
    expect((await signInSteps(deps, insider(), { email: person.email, password: DEMO_PASSWORD })).step).toEqual({ next: "complete" });
  });

  it("UAP-3.3 a suspended account cannot file the report", async () => {
    const { deps } = world;
    const lee = await accountByEmail(deps, LEE);
    expect(await appError(reportCompromise(deps, lee.id, input, insider()))).toMatchObject({ code: "not_found" });
  });
});
