import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeAccountSetup } from "@/lib/auth/account-setup/complete-account-setup";
import { completeSecretReset } from "@/lib/auth/recovery/complete-secret-reset";
import { requestSecretReset, resetRequestSchema } from "@/lib/auth/recovery/request-secret-reset";
import { listSignInLocks } from "@/lib/auth/sign-in-locks";
import { PUBLIC_FORM_LIMITS } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import { createAccount, createAuthWorld, outboxOf, outsider, type AuthWorld } from "./fixtures";

/**
 * Issue 11, security checks: rate limits on the public forms besides sign-in (which has its
 * own lockout, lib/auth/throttle.ts). Asking for reset links, and presenting dead reset or
 * set-up links, are limited per address asked about and per client address.
 */

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(() => world?.dispose());

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("rate limits on public forms", () => {
  it("reset links for one address: the first few are sent, then refused in words until the window passes", async () => {
    const person = await createAccount(world.deps);
    const ask = (n: number) => requestSecretReset(world.deps, resetRequestSchema.parse({ email: person.email, which: "password" }), outsider(1000 + n));
    const sentBefore = (await outboxOf(world.deps, "reset_password")).length;
    for (let i = 0; i < PUBLIC_FORM_LIMITS.resetPerEmail.limit; i++) await ask(i);
    const error = await refusal(ask(99));
    expect(error.code).toBe("rate_limited");
    expect(error.userMessage).toBe(`You have tried this too many times. Wait ${PUBLIC_FORM_LIMITS.resetPerEmail.windowMinutes} minutes, then try again.`);
    // Only the allowed ones were emailed; the refused one changed nothing.
    expect((await outboxOf(world.deps, "reset_password")).length).toBe(sentBefore + PUBLIC_FORM_LIMITS.resetPerEmail.limit);
    world.clock.advance(PUBLIC_FORM_LIMITS.resetPerEmail.windowMinutes * 60_000 + 1000);
    await expect(ask(100)).resolves.toBeUndefined();
  });

  it("the limit is the same for an address with no account, so it tells nobody which addresses have one", async () => {
    const ask = () => requestSecretReset(world.deps, resetRequestSchema.parse({ email: "nobody.here@meadowbank-care.example.org", which: "password" }), outsider());
    for (let i = 0; i < PUBLIC_FORM_LIMITS.resetPerEmail.limit; i++) await ask();
    expect((await refusal(ask())).code).toBe("rate_limited");
  });

  it("one client asking about many addresses is stopped too", async () => {
    const client = outsider(2000);
    const ask = (n: number) => requestSecretReset(world.deps, resetRequestSchema.parse({ email: `person${n}@meadowbank-care.example.org`, which: "security_number" }), client);
    for (let i = 0; i < PUBLIC_FORM_LIMITS.resetPerClient.limit; i++) await ask(i);
    expect((await refusal(ask(999))).code).toBe("rate_limited");
    // Another client is not affected.
    await expect(requestSecretReset(world.deps, resetRequestSchema.parse({ email: "someone.else@meadowbank-care.example.org", which: "password" }), outsider(2001))).resolves.toBeUndefined();
  });

  it("dead reset and set-up links from one client: refused as dead, then as too many, even for a live link", async () => {
    const client = outsider(3000);
    const limit = PUBLIC_FORM_LIMITS.badLinkPerClient.limit;
    for (let i = 0; i < limit; i++) {
      const dead = i % 2 ? completeSecretReset(world.deps, { token: `guess-${i}`, secret: "x", confirm: "x" }, client) : completeAccountSetup(world.deps, { token: `guess-${i}`, password: "x", passwordConfirm: "x", securityNumber: "1", securityNumberConfirm: "1", acceptPolicy: true }, client);
      expect((await refusal(dead)).code).toBe("not_found");
    }
    expect((await refusal(completeSecretReset(world.deps, { token: "guess-last", secret: "x", confirm: "x" }, client))).code).toBe("rate_limited");
    expect((await refusal(completeAccountSetup(world.deps, { token: "guess-last", password: "x", passwordConfirm: "x", securityNumber: "1", securityNumberConfirm: "1", acceptPolicy: true }, client))).code).toBe("rate_limited");
  });

  it("rate limits are not sign-in locks: the staff's locks page does not list them", async () => {
    const locks = await listSignInLocks(world.deps.db, world.clock);
    expect(locks.filter((l) => l.key.startsWith("rate:"))).toEqual([]);
  });
});
