import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientInfo } from "@/lib/auth/deps";
import { attemptChallenge } from "@/lib/auth/sign-in/attempt-challenge";
import { emailCodeStepSchema, submitEmailCode } from "@/lib/auth/sign-in/submit-email-code";
import { establishSession } from "@/lib/auth/sessions";
import { tables } from "@/lib/db";
import { auditOf, createAccount, createAuthWorld, insider, outboxOf, outsider, signInSteps, type AuthWorld } from "./fixtures";

/** UCP-NET-1: off trusted networks, sign-in needs a one-time code sent to the user's email. */

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world?.dispose();
});

/** The code in the newest sign-in code message to this address. */
async function codeSentTo(email: string): Promise<{ code: string; message: typeof tables.outboundMessages.$inferSelect }> {
  const messages = (await outboxOf(world.deps, "sign_in_code")).filter((m) => m.to.includes(email));
  const message = messages.at(-1);
  if (!message) throw new Error(`no sign-in code sent to ${email}`);
  const code = /sign-in code is (\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error(`no code in: ${message.text}`);
  return { code, message };
}

/** Another 6-digit code than the one given. */
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("off a trusted network", () => {
  it("UCP-NET-1 the digits step asks for an emailed code, which lands in outbound_messages, and signs in once given", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const client = outsider();
    const { attemptId, step } = await signInSteps(deps, client, { email: person.email });
    expect(step).toEqual({ next: "email_code" });
    expect(await attemptChallenge(deps.db, deps.clock, attemptId)).toEqual({ stage: "email_code" });
    // Not signed in yet: the attempt is not complete until the code is given.
    expect(await establishSession(deps, attemptId)).toBeNull();

    const { code, message } = await codeSentTo(person.email);
    expect(message).toMatchObject({ kind: "sign_in_code", to: [person.email], cc: [], sensitive: true, status: "pending", idempotencyKey: `sign_in_code:${attemptId}` });
    expect(message.text).toContain("for 10 minutes");
    // Only the code's hash is kept on the attempt.
    const [attempt] = await deps.db.select().from(tables.signInAttempts).where(eq(tables.signInAttempts.id, attemptId));
    expect(attempt!.emailCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(attempt!.emailCodeHash).not.toContain(code);

    const [sent] = (await auditOf(deps, "sign_in.code_sent", person.id)).slice(-1);
    expect(sent).toMatchObject({ actorId: person.id, clientAddress: client.clientAddress, userAgent: client.userAgent, detail: { reason: "untrusted_network" } });
    expect(JSON.stringify(sent!.detail)).not.toContain(code);

    const parsed = emailCodeStepSchema.parse({ attemptId, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(await submitEmailCode(deps, parsed, client)).toEqual({ next: "complete" });
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: person.id });
  });

  it("UCP-NET-1 the code works once", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const client = outsider();
    const { attemptId } = await signInSteps(deps, client, { email: person.email });
    const { code } = await codeSentTo(person.email);
    expect(await submitEmailCode(deps, { attemptId, code }, client)).toEqual({ next: "complete" });
    expect(await submitEmailCode(deps, { attemptId, code }, client)).toEqual({ next: "failed" });
    const [attempt] = await deps.db.select().from(tables.signInAttempts).where(eq(tables.signInAttempts.id, attemptId));
    expect(attempt!.emailCodeHash).toBeNull();
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: person.id });
    expect(await submitEmailCode(deps, { attemptId, code }, client)).toEqual({ next: "failed" });
  });

  it("UCP-NET-1 the code is valid for 10 minutes", async () => {
    const { deps, clock } = world;
    const person = await createAccount(deps);

    const inTime = outsider();
    const first = await signInSteps(deps, inTime, { email: person.email });
    const { code: firstCode } = await codeSentTo(person.email);
    clock.advance(10 * 60_000 - 1);
    expect(await submitEmailCode(deps, { attemptId: first.attemptId, code: firstCode }, inTime)).toEqual({ next: "complete" });
    expect(await establishSession(deps, first.attemptId)).toMatchObject({ accountId: person.id });

    const tooLate = outsider();
    const second = await signInSteps(deps, tooLate, { email: person.email });
    const { code: secondCode } = await codeSentTo(person.email);
    expect(secondCode).toBeDefined();
    clock.advance(10 * 60_000);
    expect(await submitEmailCode(deps, { attemptId: second.attemptId, code: secondCode }, tooLate)).toEqual({ next: "failed" });
    expect(await establishSession(deps, second.attemptId)).toBeNull();
    const [failed] = (await auditOf(deps, "sign_in.failed", person.id)).slice(-1);
    expect(failed).toMatchObject({ clientAddress: tooLate.clientAddress, detail: { reason: "expired" } });
  });

  it("UCP-NET-1 a wrong code ends the attempt: the right code afterwards is refused; the failure is audited and counted", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const client = outsider();
    const { attemptId } = await signInSteps(deps, client, { email: person.email });
    const { code } = await codeSentTo(person.email);
    expect(await submitEmailCode(deps, { attemptId, code: otherCode(code) }, client)).toEqual({ next: "failed" });
    expect(await submitEmailCode(deps, { attemptId, code }, client)).toEqual({ next: "failed" });
    expect(await establishSession(deps, attemptId)).toBeNull();

    const [failed] = (await auditOf(deps, "sign_in.failed", person.id)).slice(-1);
    expect(failed).toMatchObject({ clientAddress: client.clientAddress, userAgent: client.userAgent, detail: { reason: "wrong_code" } });
    const [count] = await deps.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `account:${person.id}`));
    expect(count?.failures).toBe(1);
  });

  it("UCP-NET-1 each attempt gets its own code, and one attempt's code does not open another", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const client = outsider();
    const first = await signInSteps(deps, client, { email: person.email });
    const { code: firstCode } = await codeSentTo(person.email);
    const second = await signInSteps(deps, client, { email: person.email });
    const { code: secondCode } = await codeSentTo(person.email);
    expect((await outboxOf(deps, "sign_in_code")).filter((m) => m.to.includes(person.email))).toHaveLength(2);
    if (firstCode !== secondCode) {
      expect(await submitEmailCode(deps, { attemptId: second.attemptId, code: firstCode }, client)).toEqual({ next: "failed" });
    }
    expect(await submitEmailCode(deps, { attemptId: first.attemptId, code: firstCode }, client)).toEqual({ next: "complete" });
  });

  it("UCP-NET-1 an IPv6 address outside the trusted ranges needs the code too", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { step } = await signInSteps(deps, { clientAddress: "2001:db8::17", userAgent: "Vitest v6" }, { email: person.email });
    expect(step).toEqual({ next: "email_code" });
  });

  it("UCP-NET-1 an unknown client address is not trusted", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { step } = await signInSteps(deps, { clientAddress: null, userAgent: null }, { email: person.email });
    expect(step).toEqual({ next: "email_code" });
  });

  it("UCP-NET-1 a wrong digit off a trusted network sends no code", async () => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { step } = await signInSteps(deps, outsider(), { email: person.email, wrongDigit: true });
    expect(step).toEqual({ next: "failed" });
    expect((await outboxOf(deps, "sign_in_code")).filter((m) => m.to.includes(person.email))).toHaveLength(0);
  });
});

describe("on a trusted network", () => {
  const trusted: [string, ClientInfo][] = [
    ["an IPv4 address in 10.0.0.0/8", { clientAddress: "10.200.3.4", userAgent: "Vitest" }],
    ["the IPv4 loopback", { clientAddress: "127.0.0.1", userAgent: "Vitest" }],
    ["the IPv6 loopback", { clientAddress: "::1", userAgent: "Vitest" }],
    ["an IPv4-mapped IPv6 address in 10.0.0.0/8", { clientAddress: "::ffff:10.9.8.7", userAgent: "Vitest" }],
  ];
  it.each(trusted)("UCP-NET-1 no code is needed from %s", async (_label, client) => {
    const { deps } = world;
    const person = await createAccount(deps);
    const { attemptId, step } = await signInSteps(deps, client, { email: person.email });
    expect(step).toEqual({ next: "complete" });
    expect((await outboxOf(deps, "sign_in_code")).filter((m) => m.to.includes(person.email))).toHaveLength(0);
    expect(await establishSession(deps, attemptId)).toMatchObject({ accountId: person.id });
  });

  it("UCP-NET-1 the trusted ranges come from configuration: with none configured, every sign-in needs a code", async () => {
    const { deps, config } = world;
    const person = await createAccount(deps);
    const strict = { ...deps, config: { ...config, network: { ...config.network, trustedNetworks: [] } } };
    const { step } = await signInSteps(strict, insider(), { email: person.email });
    expect(step).toEqual({ next: "email_code" });
  });
});
