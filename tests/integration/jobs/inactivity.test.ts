import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reinstateAccount } from "@/lib/accounts/reinstate-account";
import { verifyAuditChain } from "@/lib/audit";
import { checkSession, establishSession } from "@/lib/auth/sessions";
import { passwordStepSchema, startSignIn } from "@/lib/auth/sign-in/start-sign-in";
import { submitSecurityDigits } from "@/lib/auth/sign-in/submit-security-digits";
import { tables } from "@/lib/db";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import { accountById, auditOf, createJobWorld, DAY, footprint, mailOf, makeAccount, PRIYA, staffActor, START, type JobWorld } from "./fixtures";

/** UAP-4.3b / UAP-4.3c: the inactivity job, with the clock moved on by hand. */

let world: JobWorld;
beforeEach(async () => {
  world = await createJobWorld();
});
afterEach(async () => {
  await world?.dispose();
});

const TRUSTED = { clientAddress: "10.9.8.7", userAgent: "Vitest" };

/** A complete two-step sign-in from a trusted network; returns the session id, or null when refused. */
async function signIn(email: string): Promise<string | null> {
  const { attemptId, positions } = await startSignIn(world.auth, passwordStepSchema.parse({ email, password: DEMO_PASSWORD }), TRUSTED);
  const digits = positions.map((p) => DEMO_SECURITY_NUMBER.charAt(p - 1));
  const step = await submitSecurityDigits(world.auth, { attemptId, digits }, TRUSTED);
  if (step.next !== "complete") return null;
  return (await establishSession(world.auth, attemptId))?.sessionId ?? null;
}

describe("inactivity", () => {
  it("UAP-4.3b suspends an account with no sign-in for 60 days, audits it, emails it, ends its live session, and it cannot sign in again", async () => {
    const account = await makeAccount(world);
    // Priya, the Lead correspondent, has been signing in.
    await world.db.update(tables.accounts).set({ lastSignInAt: new Date(Date.parse(START) + 30 * DAY) }).where(eq(tables.accounts.email, PRIYA));
    const sessionId = await signIn(account.email);
    expect(sessionId).not.toBeNull();
    expect((await accountById(world.db, account.id)).lastSignInAt).toEqual(new Date(START));

    world.travel(60 - 1 / 24); // an hour before the deadline: still active
    expect((await world.run("inactivity")).status).toBe("ok");
    expect((await accountById(world.db, account.id)).status).toBe("active");

    world.travel(60);
    const result = await world.run("inactivity");
    expect(result.status).toBe("ok");
    expect(result.summary.suspended).toBeGreaterThanOrEqual(1);
    const after = await accountById(world.db, account.id);
    expect(after).toMatchObject({ status: "suspended", suspensionReason: "No sign-in for 60 days", suspendedAt: world.clock.now() });
    expect(after.securityStamp).not.toBe(account.securityStamp);

    const [event] = await auditOf(world.db, "account.suspended", account.id);
    expect(event).toMatchObject({ channel: "job", actorId: null, actorLabel: "Inactivity suspensions", organisationId: account.organisationId });
    expect(event!.detail).toMatchObject({ before: { status: "active" }, after: { status: "suspended" }, rule: "UAP-4.3b", sessionsEnded: 1, idleSince: START });

    const [mail] = await mailOf(world.db, "inactivity_suspended", account.email);
    expect(mail!.cc).toEqual([PRIYA]);
    expect(mail!.text).toContain("60 days");

    // The session the user held is ended by the job, and refused on their next request.
    const [session] = await world.db.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId!));
    expect(session).toMatchObject({ endedAt: world.clock.now(), endReason: "account_not_active" });
    expect(await checkSession(world.auth, sessionId!)).toBeNull();
    // And the right password and digits no longer sign them in.
    expect(await signIn(account.email)).toBeNull();
    expect((await verifyAuditChain(world.db)).ok).toBe(true);
  });

  it("UAP-4.3b counts from activation when the account was never signed in to", async () => {
    const account = await makeAccount(world, { activatedAt: new Date(START), lastSignInAt: null, createdAt: new Date(Date.parse(START) - 30 * DAY) });
    world.travel(59.9);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("active");
    world.travel(60);
    await world.run("inactivity");
    const after = await accountById(world.db, account.id);
    expect(after.status).toBe("suspended");
    expect((await auditOf(world.db, "account.suspended", account.id))[0]!.detail).toMatchObject({ idleSince: START });
  });

  it("UAP-4.3b a sign-in the day before the deadline prevents the suspension and starts the clock again", async () => {
    const account = await makeAccount(world, { lastSignInAt: new Date(START) });
    world.travel(59);
    expect(await signIn(account.email)).not.toBeNull();
    world.travel(60);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("active");
    world.travel(59 + 60 - 0.01);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("active");
    world.travel(59 + 60);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("suspended");
  });

  it("UAP-4.3b warns the user by email 10 days before, once", async () => {
    const account = await makeAccount(world, { lastSignInAt: new Date(START) });
    world.travel(49.9);
    await world.run("inactivity");
    expect(await mailOf(world.db, "inactivity_warning", account.email)).toHaveLength(0);

    world.travel(50);
    const first = await world.run("inactivity");
    expect(first.summary.warned).toBeGreaterThanOrEqual(1);
    const [warning] = await mailOf(world.db, "inactivity_warning", account.email);
    expect(warning!.subject).toBe(`Sign in by Friday 3 July 2026 to keep your ${world.config.operator.shortName} account`);
    expect(warning!.text).toContain("https://portal.example.org/sign-in");
    expect(await auditOf(world.db, "account.inactivity_warning_sent", account.id)).toHaveLength(1);

    for (const day of [50, 52, 55, 59.9]) {
      world.travel(day);
      await world.run("inactivity");
    }
    expect(await mailOf(world.db, "inactivity_warning", account.email)).toHaveLength(1);
    expect((await accountById(world.db, account.id)).status).toBe("active");
    world.travel(60);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("suspended");
    expect(await mailOf(world.db, "inactivity_suspended", account.email)).toHaveLength(1);
  });

  it("UAP-4.3c reinstatement restarts the clock: no suspension until 60 days after it, with a new warning before", async () => {
    const account = await makeAccount(world, { lastSignInAt: new Date(START) });
    world.travel(60);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("suspended");

    world.travel(70);
    const staff = await staffActor(world.db);
    await world.db.transaction((tx) => reinstateAccount({ tx, actor: staff, clock: world.clock, accountId: account.id }));
    expect((await accountById(world.db, account.id)).status).toBe("active");

    // The last sign-in is 71 days old, but the reinstatement was yesterday.
    world.travel(71);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("active");

    world.travel(70 + 50);
    await world.run("inactivity");
    // No run fell inside the first spell's warning window (the clock jumped to day 60); this one did.
    expect(await mailOf(world.db, "inactivity_warning", account.email)).toHaveLength(1);
    world.travel(70 + 60 - 0.01);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("active");
    world.travel(70 + 60);
    await world.run("inactivity");
    expect((await accountById(world.db, account.id)).status).toBe("suspended");
    expect(await auditOf(world.db, "account.suspended", account.id)).toHaveLength(2);
  });

  it("UAP-4.3b leaves pending, suspended and operator staff accounts alone", async () => {
    const long = new Date(Date.parse(START) - 400 * DAY);
    const pending = await makeAccount(world, { status: "pending", createdAt: long });
    const operator = await makeAccount(world, { audience: "operator", lastSignInAt: long, activatedAt: long });
    await world.run("inactivity");
    expect((await accountById(world.db, pending.id)).status).toBe("pending");
    expect((await accountById(world.db, operator.id)).status).toBe("active");
  });

  it("UAP-4.3b the job run twice at the same instant acts once", async () => {
    await makeAccount(world, { lastSignInAt: new Date(START) });
    await makeAccount(world, { lastSignInAt: new Date(Date.parse(START) + 10 * DAY) });
    world.travel(60);
    const first = await world.run("inactivity");
    expect(first.summary).toMatchObject({ suspended: 5, warned: 1 }); // mine and four demo accounts; my second account
    const after = await footprint(world.db);
    const second = await world.run("inactivity");
    expect(second.status).toBe("ok");
    expect(second.summary).toEqual({ suspended: 0, sessionsEnded: 0, warned: 0 });
    expect(await footprint(world.db)).toEqual(after);
  });
});
