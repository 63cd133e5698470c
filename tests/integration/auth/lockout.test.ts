import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientInfo } from "@/lib/auth/deps";
import { completeAccountSetup } from "@/lib/auth/account-setup/complete-account-setup";
import { sendAccountSetup } from "@/lib/auth/account-setup/send-account-setup";
import { establishSession } from "@/lib/auth/sessions";
import { tables } from "@/lib/db";
import { BASE_URL, auditOf, createAccount, createAuthWorld, insider, outboxOf, signInSteps, type AuthWorld } from "./fixtures";

/**
 * Lockout: 5 consecutive failures lock for 15 minutes, doubling on each repeat, counted per
 * account and per client address; every failure and every lock is audited.
 */

const MINUTE = 60_000;

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});

/** One failed sign-in (a wrong digit) for the account, from the client. */
async function fail(email: string, client: ClientInfo = insider()) {
  const { step } = await signInSteps(world.deps, client, { email, wrongDigit: true });
  expect(step).toEqual({ next: "failed" });
}

/** A sign-in with the right secrets; true when it reached a session. */
async function succeeds(email: string, client: ClientInfo = insider()): Promise<boolean> {
  const { attemptId, step } = await signInSteps(world.deps, client, { email });
  if (step.next !== "complete") return false;
  return (await establishSession(world.deps, attemptId)) !== null;
}

async function lastFailureReason(accountId: string | null) {
  const events = await auditOf(world.deps, "sign_in.failed", accountId);
  return (events.at(-1)?.detail as { reason?: string } | undefined)?.reason;
}

describe("per account", () => {
  it("locks an account after 5 consecutive failures, from any addresses, for 15 minutes — and audits the lock", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);
    for (let i = 0; i < 4; i++) await fail(person.email);
    expect(await auditOf(deps, "sign_in.locked", person.id)).toHaveLength(0);
    const lockedAt = clock.now();
    await fail(person.email);

    const [locked] = await auditOf(deps, "sign_in.locked", person.id);
    expect(locked).toMatchObject({
      organisationId: person.organisationId,
      detail: { key: `account:${person.id}`, until: new Date(lockedAt.getTime() + 15 * MINUTE).toISOString(), lockouts: 1 },
    });
    // The lock is recorded with the fifth failure, in the same transaction.
    const failures = await auditOf(deps, "sign_in.failed", person.id);
    expect(failures).toHaveLength(5);
    expect(failures.at(-1)!.seq).toBe(locked!.seq - 1);
    expect(failures.at(-1)!.occurredAt).toEqual(locked!.occurredAt);

    // The right password and digits are refused while locked, with the same answer as any failure.
    clock.set(new Date(lockedAt.getTime() + 15 * MINUTE - 1));
    expect(await succeeds(person.email)).toBe(false);
    expect(await lastFailureReason(person.id)).toBe("locked");

    clock.set(new Date(lockedAt.getTime() + 15 * MINUTE));
    expect(await succeeds(person.email)).toBe(true);
  });

  it("doubles the lock on each repeat: 15, then 30, then 60 minutes", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);
    for (const [lockouts, minutes] of [
      [1, 15],
      [2, 30],
      [3, 60],
    ] as const) {
      for (let i = 0; i < 5; i++) await fail(person.email);
      const lockedAt = clock.now();
      const locks = await auditOf(deps, "sign_in.locked", person.id);
      expect(locks).toHaveLength(lockouts);
      expect(locks.at(-1)!.detail).toMatchObject({ lockouts, until: new Date(lockedAt.getTime() + minutes * MINUTE).toISOString() });
      const [row] = await deps.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `account:${person.id}`));
      expect(row).toMatchObject({ failures: 0, lockouts, lockedUntil: new Date(lockedAt.getTime() + minutes * MINUTE) });
      // Wait the lock out without trying (tries while locked count as failures too).
      clock.set(new Date(lockedAt.getTime() + minutes * MINUTE));
    }
    expect(await succeeds(person.email)).toBe(true);
  });

  it("counts only consecutive failures: a successful sign-in starts the count and the doubling again", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);
    // A first lockout, waited out.
    for (let i = 0; i < 5; i++) await fail(person.email);
    clock.advance(15 * MINUTE);
    for (let i = 0; i < 4; i++) await fail(person.email);
    expect(await succeeds(person.email)).toBe(true);
    for (let i = 0; i < 4; i++) await fail(person.email);
    expect(await succeeds(person.email)).toBe(true);
    expect(await auditOf(deps, "sign_in.locked", person.id)).toHaveLength(1);

    // The history was cleared too: the next lock is 15 minutes again, not 30.
    for (let i = 0; i < 5; i++) await fail(person.email);
    const locks = await auditOf(deps, "sign_in.locked", person.id);
    expect(locks).toHaveLength(2);
    expect(locks.at(-1)!.detail).toMatchObject({ lockouts: 1, until: new Date(clock.now().getTime() + 15 * MINUTE).toISOString() });
  });

  it("counts a wrong password like a wrong digit", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    for (let i = 0; i < 5; i++) {
      const { step } = await signInSteps(deps, insider(), { email: person.email, password: `wrong password number ${i}` });
      expect(step).toEqual({ next: "failed" });
    }
    expect(await auditOf(deps, "sign_in.locked", person.id)).toHaveLength(1);
    expect(await succeeds(person.email)).toBe(false);
  });
});

describe("per client address", () => {
  it("locks an address after 5 consecutive failures across different accounts, for 15 minutes — other addresses are unaffected", async () => {
    const { deps, clock } = world;
    const address = insider();
    for (let i = 0; i < 5; i++) await fail((await createAccount(deps)).email, address);
    const lockedAt = clock.now();

    const locks = await auditOf(deps, "sign_in.locked", null);
    expect(locks.at(-1)).toMatchObject({
      clientAddress: address.clientAddress,
      subjectAccountId: null,
      detail: { key: `address:${address.clientAddress}`, until: new Date(lockedAt.getTime() + 15 * MINUTE).toISOString(), lockouts: 1 },
    });

    // Someone else, with the right secrets, from the locked address: refused.
    const colleague = await createAccount(deps);
    expect(await succeeds(colleague.email, address)).toBe(false);
    expect(await lastFailureReason(colleague.id)).toBe("locked");
    // The same person from another address: fine (their account is not locked).
    expect(await succeeds(colleague.email, insider())).toBe(true);

    clock.set(new Date(lockedAt.getTime() + 15 * MINUTE));
    expect(await succeeds((await createAccount(deps)).email, address)).toBe(true);
  });

  it("counts unknown emails against the address (no spraying guesses at made-up or real accounts)", async () => {
    const { deps } = world;
    const address = insider();
    for (let i = 0; i < 5; i++) {
      const { step } = await signInSteps(deps, address, { email: `no.such.person${i}@meadowbank-care.example.org` });
      expect(step).toEqual({ next: "failed" });
    }
    const locks = await auditOf(deps, "sign_in.locked", null);
    expect(locks.at(-1)).toMatchObject({ detail: { key: `address:${address.clientAddress}`, lockouts: 1 } });
    expect(await succeeds((await createAccount(deps)).email, address)).toBe(false);
  });

  it("counts only consecutive failures from an address: a successful sign-in from it starts the count again", async () => {
    const { deps } = world;
    // A care home: several staff behind one public address, the odd typo among them.
    const address = insider();
    const staff = await Promise.all([createAccount(deps), createAccount(deps), createAccount(deps)]);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await fail(staff[i % 3]!.email, address);
      expect(await succeeds(staff[round]!.email, address)).toBe(true);
    }
    const [row] = await deps.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `address:${address.clientAddress}`));
    expect(row).toMatchObject({ failures: 0, lockouts: 0, lockedUntil: null });
    expect((await auditOf(deps, "sign_in.locked", null)).filter((e) => e.clientAddress === address.clientAddress)).toHaveLength(0);
  });

  it("a sign-in that skips the lock check (account set-up) does not lift a lock in force on its address", async () => {
    const { deps } = world;
    const address = insider();
    for (let i = 0; i < 5; i++) await fail((await createAccount(deps)).email, address);

    const newcomer = await createAccount(deps, { status: "pending" });
    await deps.db.transaction((tx) => sendAccountSetup(tx, deps, newcomer, { leadEmails: [] }));
    const link = (await outboxOf(deps, "account_setup_link")).find((m) => m.to.includes(newcomer.email))!;
    const token = new RegExp(`${BASE_URL}/set-up/([A-Za-z0-9_-]+)`).exec(link.text)![1]!;
    const password = "lantern shadows on the canal";
    const { attemptId } = await completeAccountSetup(
      deps,
      { token, password, passwordConfirm: password, securityNumber: "730518", securityNumberConfirm: "730518", acceptPolicy: true },
      address,
    );
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: newcomer.id });

    const [row] = await deps.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `address:${address.clientAddress}`));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(deps.clock.now().getTime());
    expect(await succeeds((await createAccount(deps)).email, address)).toBe(false);
  });
});
