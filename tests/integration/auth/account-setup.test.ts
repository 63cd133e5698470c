import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { LINK_NOT_VALID, completeAccountSetup, setupLinkAccount } from "@/lib/auth/account-setup/complete-account-setup";
import { sendAccountSetup } from "@/lib/auth/account-setup/send-account-setup";
import { verifyPassword } from "@/lib/auth/passwords";
import { acceptPolicies, pendingPolicies } from "@/lib/auth/policy-acceptance";
import { openSecurityNumber } from "@/lib/auth/security-number";
import { establishSession } from "@/lib/auth/sessions";
import { tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { BASE_URL, PRIYA, accountByEmail, auditOf, createAccount, createAuthWorld, insider, outboxOf, outsider, signInSteps, type AuthWorld } from "./fixtures";

// A hook inside password hashing, to act while a set-up is half-way (the real argon2 still runs).
const hooks = vi.hoisted(() => ({ duringHash: null as null | (() => Promise<void>) }));
vi.mock("@/lib/auth/passwords", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/auth/passwords")>();
  return {
    ...actual,
    hashPassword: async (password: string) => {
      const hash = await actual.hashPassword(password);
      if (hooks.duringHash) await hooks.duringHash();
      return hash;
    },
  };
});

/** Account set-up (CC-6): username and link in separate emails; the link sets both secrets and the AUP (AUP-5.1a). */

const HOUR = 3_600_000;
const NEW_PASSWORD = "lantern shadows on the canal";
const NEW_NUMBER = "730518";

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});
beforeEach(() => {
  hooks.duringHash = null;
});

/** A pending account of the demo provider with its set-up emails sent; returns the account, both messages and the token. */
async function pendingWithSetup() {
  const { deps } = world;
  const account = await createAccount(deps, { status: "pending" });
  await deps.db.transaction((tx) => sendAccountSetup(tx, deps, account, { leadEmails: [PRIYA] }));
  const username = (await outboxOf(deps, "account_username")).filter((m) => m.to.includes(account.email));
  const link = (await outboxOf(deps, "account_setup_link")).filter((m) => m.to.includes(account.email));
  expect(username).toHaveLength(1);
  expect(link).toHaveLength(1);
  const token = new RegExp(`${BASE_URL}/set-up/([A-Za-z0-9_-]+)`).exec(link[0]!.text)?.[1];
  if (!token) throw new Error(`no set-up link in: ${link[0]!.text}`);
  return { account, username: username[0]!, link: link[0]!, token };
}

const secrets = (token: string, overrides: Partial<Parameters<typeof completeAccountSetup>[1]> = {}) => ({
  token,
  password: NEW_PASSWORD,
  passwordConfirm: NEW_PASSWORD,
  securityNumber: NEW_NUMBER,
  securityNumberConfirm: NEW_NUMBER,
  acceptPolicy: true,
  ...overrides,
});

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function appError(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("sendAccountSetup", () => {
  it("CC-6 sends the username and the set-up link as two separate emails, the Lead correspondent copied on the username only", async () => {
    const { account, username, link, token } = await pendingWithSetup();

    expect(username).toMatchObject({ to: [account.email], cc: [PRIYA], sensitive: false, status: "pending" });
    expect(username.text).toContain(`Your username is: ${account.email}`);
    expect(username.text).not.toContain(token);
    expect(username.text).not.toContain("/set-up/");

    expect(link).toMatchObject({ to: [account.email], cc: [], sensitive: true, status: "pending" });
    expect(link.text).toContain(`/set-up/${token}`);
    expect(link.text).toContain("expires in 72 hours");
    expect(link.text).not.toContain(account.email);
    expect(link.text).not.toMatch(/username/i);
    expect(username.id).not.toBe(link.id);

    // Only the token's hash is stored.
    const links = await world.deps.db.select().from(tables.oneTimeLinks).where(eq(tables.oneTimeLinks.accountId, account.id));
    expect(links).toHaveLength(1);
    expect(links[0]!.tokenHash).not.toBe(token);
    expect(links[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("CC-6 does not copy the new user to themselves when they are their own Lead correspondent", async () => {
    const { deps } = world;
    const account = await createAccount(deps, { status: "pending" });
    await deps.db.transaction((tx) => sendAccountSetup(tx, deps, account, { leadEmails: [account.email, PRIYA] }));
    const [username] = (await outboxOf(deps, "account_username")).filter((m) => m.to.includes(account.email));
    expect(username!.cc).toEqual([PRIYA]);
  });

  it("PRIV-5 the set-up link points at the portal's configured HTTPS address", async () => {
    const { link, token } = await pendingWithSetup();
    expect(link.text).toContain(`https://portal.example.org/set-up/${token}`);
    expect(link.text).not.toMatch(/http:\/\//);
  });

  it("CC-6 sending again makes the earlier link stop working", async () => {
    const { deps } = world;
    const { account, token: first } = await pendingWithSetup();
    await deps.db.transaction((tx) => sendAccountSetup(tx, deps, account, { leadEmails: [PRIYA] }));
    expect(await setupLinkAccount(deps, first)).toBeNull();
    const second = new RegExp(`${BASE_URL}/set-up/([A-Za-z0-9_-]+)`).exec((await outboxOf(deps, "account_setup_link")).filter((m) => m.to.includes(account.email)).at(-1)!.text)![1]!;
    expect(await setupLinkAccount(deps, second)).toMatchObject({ id: account.id });
  });
});

describe("completeAccountSetup", () => {
  it("CC-6 AUP-5.1a sets password, security number and the AUP acceptance; activates the account and signs it in", async () => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    expect(await setupLinkAccount(deps, token)).toMatchObject({ id: account.id, email: account.email, status: "pending" });
    expect((await pendingPolicies(deps.db, deps.config, account.id)).map((p) => p.key)).toEqual(["acceptable-use"]);

    const client = insider();
    const { attemptId } = await completeAccountSetup(deps, secrets(token), client);

    const after = await accountByEmail(deps, account.email);
    expect(after).toMatchObject({ status: "active", activatedAt: deps.clock.now() });
    expect(await verifyPassword(after.passwordHash!, NEW_PASSWORD)).toBe(true);
    expect(openSecurityNumber(deps.secretsKey, after.securityNumberSealed!)).toBe(NEW_NUMBER);

    // AUP-5.1a: acceptance recorded with version and time; nothing pending now.
    const acceptances = await deps.db.select().from(tables.policyAcceptances).where(eq(tables.policyAcceptances.accountId, account.id));
    expect(acceptances).toEqual([{ accountId: account.id, policyKey: "acceptable-use", version: "1.0", acceptedAt: deps.clock.now() }]);
    expect(await pendingPolicies(deps.db, deps.config, account.id)).toEqual([]);

    const [accepted] = await auditOf(deps, "policy.accepted", account.id);
    const [completed] = await auditOf(deps, "account.setup_completed", account.id);
    expect(accepted).toMatchObject({ actorId: account.id, clientAddress: client.clientAddress, detail: { policy: "acceptable-use", version: "1.0" } });
    expect(completed).toMatchObject({ actorId: account.id, organisationId: account.organisationId, detail: { before: { status: "pending" }, after: { status: "active" } } });
    expect(JSON.stringify(completed!.detail)).not.toContain(NEW_NUMBER);

    // The surface signs them straight in; afterwards the new secrets work for a normal sign-in.
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: account.id });
    const again = await signInSteps(deps, insider(), { email: account.email, password: NEW_PASSWORD, securityNumber: NEW_NUMBER });
    expect(again.step).toEqual({ next: "complete" });
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });

  it("CC-6 the link works once", async () => {
    const { deps } = world;
    const { token } = await pendingWithSetup();
    await completeAccountSetup(deps, secrets(token), insider());
    expect(await setupLinkAccount(deps, token)).toBeNull();
    const error = await appError(completeAccountSetup(deps, secrets(token, { password: "somebody else's choice here" }), insider()));
    expect(error).toMatchObject({ code: "not_found", userMessage: LINK_NOT_VALID });
  });

  it("CC-6 two racing uses of one link: exactly one succeeds", async () => {
    const { deps } = world;
    const { token } = await pendingWithSetup();
    const results = await Promise.allSettled([completeAccountSetup(deps, secrets(token), insider()), completeAccountSetup(deps, secrets(token), insider())]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "not_found" });
  });

  it("CC-6 the link expires after 72 hours", async () => {
    const { deps, clock } = world;
    const sentAt = clock.now().getTime();
    const { token } = await pendingWithSetup();
    clock.set(new Date(sentAt + 72 * HOUR - 1));
    expect(await setupLinkAccount(deps, token)).not.toBeNull();
    clock.set(new Date(sentAt + 72 * HOUR));
    expect(await setupLinkAccount(deps, token)).toBeNull();
    expect(await appError(completeAccountSetup(deps, secrets(token), insider()))).toMatchObject({ code: "not_found" });
  });

  it("AUP-5.1a refuses to finish without accepting the Acceptable Use Policy, and changes nothing", async () => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    const error = await appError(completeAccountSetup(deps, secrets(token, { acceptPolicy: false }), insider()));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors.acceptPolicy).toMatch(/accept the Acceptable Use Policy/);
    expect(await accountByEmail(deps, account.email)).toMatchObject({ status: "pending", passwordHash: null, securityNumberSealed: null });
    expect(await setupLinkAccount(deps, token)).not.toBeNull();
  });

  it.each([
    ["a short password", { password: "short one", passwordConfirm: "short one" }, "password", /at least 12 characters/],
    ["a common password", { password: "leavemealone", passwordConfirm: "leavemealone" }, "password", /too common/],
    ["passwords that differ", { passwordConfirm: "lantern shadows on the canal!" }, "passwordConfirm", /do not match/],
    ["a trivial security number", { securityNumber: "123456", securityNumberConfirm: "123456" }, "securityNumber", /too easy to guess/],
    ["a security number of 5 digits", { securityNumber: "73051", securityNumberConfirm: "73051" }, "securityNumber", /6 digits/],
    ["security numbers that differ", { securityNumberConfirm: "730519" }, "securityNumberConfirm", /do not match/],
  ] as const)("AUP-4.2 refuses %s at set-up, and changes nothing", async (_label, overrides, field, message) => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    const error = await appError(completeAccountSetup(deps, secrets(token, overrides), insider()));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors[field]).toMatch(message);
    expect(await accountByEmail(deps, account.email)).toMatchObject({ status: "pending", passwordHash: null });
    expect(await setupLinkAccount(deps, token)).not.toBeNull();
  });

  it("refuses a link whose account has been suspended", async () => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    await deps.db.update(tables.accounts).set({ status: "suspended" }).where(eq(tables.accounts.id, account.id));
    expect(await setupLinkAccount(deps, token)).toBeNull();
    expect(await appError(completeAccountSetup(deps, secrets(token), insider()))).toMatchObject({ code: "not_found" });
    expect(await accountByEmail(deps, account.email)).toMatchObject({ status: "suspended", passwordHash: null });
  });

  it("never reactivates an account suspended while its set-up was under way", async () => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    hooks.duringHash = async () => {
      await deps.db.update(tables.accounts).set({ status: "suspended", suspendedAt: deps.clock.now() }).where(eq(tables.accounts.id, account.id));
    };
    await appError(completeAccountSetup(deps, secrets(token), insider()));
    expect(await accountByEmail(deps, account.email)).toMatchObject({ status: "suspended", passwordHash: null });
    expect(await auditOf(deps, "account.setup_completed", account.id)).toHaveLength(0);
  });

  it("UCP-NET-1 set-up from outside a trusted network needs no extra code: the emailed link already proved the mailbox", async () => {
    const { deps } = world;
    const { account, token } = await pendingWithSetup();
    const { attemptId } = await completeAccountSetup(deps, secrets(token), outsider());
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: account.id });
    // The next ordinary sign-in from outside asks for the code.
    const next = await signInSteps(deps, outsider(), { email: account.email, password: NEW_PASSWORD, securityNumber: NEW_NUMBER });
    expect(next.step).toEqual({ next: "email_code" });
  });
});

describe("policy acceptance", () => {
  it("AUP-5.1a a new version of the Acceptable Use Policy is pending again; accepting it records the new version and time beside the old", async () => {
    const { deps, clock, config } = world;
    const { account, token } = await pendingWithSetup();
    await completeAccountSetup(deps, secrets(token), insider());
    const firstAcceptedAt = clock.now();
    expect(await pendingPolicies(deps.db, config, account.id)).toEqual([]);

    clock.advance(30 * 24 * HOUR);
    const revised = { ...config, policies: config.policies.map((p) => (p.key === "acceptable-use" ? { ...p, version: "1.1" } : p)) };
    const pending = await pendingPolicies(deps.db, revised, account.id);
    expect(pending.map((p) => [p.key, p.version])).toEqual([["acceptable-use", "1.1"]]);

    const actor = { accountId: account.id, label: account.fullName, channel: "web" as const, clientAddress: "10.3.3.3", userAgent: "Vitest" };
    await deps.db.transaction((tx) => acceptPolicies(tx, revised, clock, actor, account));
    expect(await pendingPolicies(deps.db, revised, account.id)).toEqual([]);
    const acceptances = await deps.db
      .select({ version: tables.policyAcceptances.version, acceptedAt: tables.policyAcceptances.acceptedAt })
      .from(tables.policyAcceptances)
      .where(and(eq(tables.policyAcceptances.accountId, account.id), eq(tables.policyAcceptances.policyKey, "acceptable-use")))
      .orderBy(tables.policyAcceptances.version);
    expect(acceptances).toEqual([
      { version: "1.0", acceptedAt: firstAcceptedAt },
      { version: "1.1", acceptedAt: clock.now() },
    ]);
    const events = await auditOf(deps, "policy.accepted", account.id);
    expect(events.map((e) => e.detail)).toEqual([
      { policy: "acceptable-use", version: "1.0" },
      { policy: "acceptable-use", version: "1.1" },
    ]);

    // Accepting the same version again records nothing new.
    await deps.db.transaction((tx) => acceptPolicies(tx, revised, clock, actor, account));
    expect(await auditOf(deps, "policy.accepted", account.id)).toHaveLength(2);
  });

  it("AUP-5.1a only the policies marked must-accept are asked for", async () => {
    const { deps, config } = world;
    const account = await createAccount(deps);
    expect((await pendingPolicies(deps.db, config, account.id)).map((p) => p.key)).toEqual(["acceptable-use"]);
    const both = { ...config, policies: config.policies.map((p) => (p.key === "privacy" ? { ...p, mustAccept: true } : p)) };
    expect((await pendingPolicies(deps.db, both, account.id)).map((p) => p.key).sort()).toEqual(["acceptable-use", "privacy"]);
  });
});
