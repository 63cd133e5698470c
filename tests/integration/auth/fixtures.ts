import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { AuthDeps, ClientInfo } from "@/lib/auth/deps";
import { hashPassword } from "@/lib/auth/passwords";
import { sealSecurityNumber } from "@/lib/auth/security-number";
import { passwordStepSchema, startSignIn } from "@/lib/auth/sign-in/start-sign-in";
import { submitSecurityDigits, type SignInStep } from "@/lib/auth/sign-in/submit-security-digits";
import { fixedClock } from "@/lib/clock";
import { mergeConfig, validateConfig, type PortalConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { tables } from "@/lib/db";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import { seedDemo } from "@/lib/demo/seed-demo";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/** Shared set-up for the sign-in integration tests: a seeded database, deps on a fixed clock. */

export const BASE_URL = "https://portal.example.org";
export const PRIYA = "priya.shah@meadowbank-care.example.org"; // active Lead correspondent (demo)
export const LEE = "lee.jones@meadowbank-care.example.org"; // suspended (demo)
export const DAN = "dan.wright@meadowbank-care.example.org"; // pending, not set up (demo)

/** The council profile, with the seed's numbers (5 failures, 15 minutes, 20-minute idle …). */
export function councilConfig(overrides: Record<string, unknown> = {}): PortalConfig {
  return validateConfig(mergeConfig(councilProfile, overrides));
}

export interface AuthWorld {
  handle: TestDatabase;
  deps: AuthDeps;
  clock: ReturnType<typeof fixedClock>;
  config: PortalConfig;
  dispose(): Promise<void>;
}

/** A fresh migrated database seeded with the demo organisations and accounts. */
export async function createAuthWorld(start = "2026-05-04T09:00:00.000Z"): Promise<AuthWorld> {
  const handle = await createTestDatabase();
  const clock = fixedClock(start);
  const config = councilConfig();
  const secretsKey = process.env.PORTAL_SECRETS_KEY ? Buffer.from(process.env.PORTAL_SECRETS_KEY, "base64") : randomBytes(32);
  await seedDemo({ db: handle.db, config, clock, secretsKey });
  const deps: AuthDeps = { db: handle.db, config, clock, secretsKey, baseUrl: BASE_URL };
  return { handle, deps, clock, config, dispose: () => handle.dispose() };
}

let counter = 0;
/** A client address on no trusted network (TEST-NET-3), different every call unless `n` is given. */
export function outsider(n?: number): ClientInfo {
  const i = n ?? ++counter;
  return { clientAddress: `203.0.${113 + Math.floor(i / 250)}.${(i % 250) + 1}`, userAgent: `Vitest outsider ${i}` };
}
/** A client address on a trusted network (10.0.0.0/8 in the council profile), different every call. */
export function insider(n?: number): ClientInfo {
  const i = n ?? ++counter;
  return { clientAddress: `10.20.${Math.floor(i / 250)}.${(i % 250) + 1}`, userAgent: `Vitest insider ${i}` };
}

/** The digits of a security number at 1-based positions. */
export function digitsAt(securityNumber: string, positions: readonly number[]): string[] {
  return positions.map((p) => securityNumber.charAt(p - 1));
}

/** The same digits with the first one changed. */
export function oneDigitWrong(digits: readonly string[]): string[] {
  return digits.map((d, i) => (i === 0 ? String((Number(d) + 1) % 10) : d));
}

/** Steps 1 and 2 with the given (or demo) secrets; returns the attempt and the step-2 answer. */
export async function signInSteps(
  deps: AuthDeps,
  client: ClientInfo,
  who: { email: string; password?: string; securityNumber?: string; wrongDigit?: boolean },
): Promise<{ attemptId: string; positions: number[]; step: SignInStep }> {
  const input = passwordStepSchema.parse({ email: who.email, password: who.password ?? DEMO_PASSWORD });
  const { attemptId, positions } = await startSignIn(deps, input, client);
  const right = digitsAt(who.securityNumber ?? DEMO_SECURITY_NUMBER, positions);
  const step = await submitSecurityDigits(deps, { attemptId, digits: who.wrongDigit ? oneDigitWrong(right) : right }, client);
  return { attemptId, positions, step };
}

export async function accountByEmail(deps: AuthDeps, email: string) {
  const [account] = await deps.db.select().from(tables.accounts).where(eq(tables.accounts.email, email));
  if (!account) throw new Error(`no account ${email}`);
  return account;
}

/** Audit events of one action, oldest first (optionally for one subject account). */
export async function auditOf(deps: AuthDeps, action: string, subjectAccountId?: string | null) {
  return deps.db
    .select()
    .from(tables.auditEvents)
    .where(
      subjectAccountId === undefined
        ? eq(tables.auditEvents.action, action)
        : subjectAccountId === null
          ? and(eq(tables.auditEvents.action, action), sql`${tables.auditEvents.subjectAccountId} is null`)
          : and(eq(tables.auditEvents.action, action), eq(tables.auditEvents.subjectAccountId, subjectAccountId)),
    )
    .orderBy(asc(tables.auditEvents.seq));
}

/** Outbox messages of one kind, oldest first. */
export async function outboxOf(deps: AuthDeps, kind: string) {
  return deps.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, kind)).orderBy(asc(tables.outboundMessages.createdAt));
}

const hashes = new Map<string, Promise<string>>();
/**
 * A new account in the demo provider (Meadowbank Care Ltd), active with the given secrets, or
 * pending with none. Each call uses a new email address.
 */
export async function createAccount(
  deps: AuthDeps,
  options: { status?: "pending" | "active" | "suspended"; password?: string; securityNumber?: string; fullName?: string; audience?: "provider" | "operator" } = {},
) {
  const status = options.status ?? "active";
  const audience = options.audience ?? "provider";
  const [organisation] = await deps.db
    .select({ id: tables.organisations.id })
    .from(tables.organisations)
    .where(eq(tables.organisations.odsCode, audience === "provider" ? "AB1C2" : "XC001"));
  const n = ++counter;
  const fullName = options.fullName ?? `Test Person ${n}`;
  const password = options.password ?? DEMO_PASSWORD;
  const ready = status !== "pending";
  let passwordHash: string | null = null;
  if (ready) {
    if (!hashes.has(password)) hashes.set(password, hashPassword(password));
    passwordHash = await hashes.get(password)!;
  }
  const [account] = await deps.db
    .insert(tables.accounts)
    .values({
      organisationId: organisation!.id,
      audience,
      fullName,
      email: `test.person${n}.${randomBytes(3).toString("hex")}@meadowbank-care.example.org`,
      status,
      passwordHash,
      securityNumberSealed: ready ? sealSecurityNumber(deps.secretsKey, options.securityNumber ?? DEMO_SECURITY_NUMBER) : null,
      activatedAt: ready ? deps.clock.now() : null,
    })
    .returning();
  return account!;
}

/** Live (not ended) sessions of an account. */
export async function liveSessions(deps: AuthDeps, accountId: string) {
  return deps.db
    .select()
    .from(tables.sessions)
    .where(and(eq(tables.sessions.accountId, accountId), sql`${tables.sessions.endedAt} is null`));
}
