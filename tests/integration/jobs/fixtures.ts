import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Actor } from "@/lib/audit";
import type { AuthDeps } from "@/lib/auth/deps";
import { hashPassword } from "@/lib/auth/passwords";
import { sealSecurityNumber } from "@/lib/auth/security-number";
import { fixedClock } from "@/lib/clock";
import { mergeConfig, validateConfig, type PortalConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { tables } from "@/lib/db";
import { queryRows, type Executor } from "@/lib/db/types";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import { seedDemo } from "@/lib/demo/seed-demo";
import { runJob, silentJobLog, type JobDeps, type JobRunResult, type JobTrigger } from "@/lib/jobs";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/** Shared set-up for the jobs' integration tests: the demo seed on a fixed clock, and time travel. */

export const BASE_URL = "https://portal.example.org";
export const DAY = 86_400_000;
export const PRIYA = "priya.shah@meadowbank-care.example.org"; // Meadowbank's Lead correspondent
export const ALEX = "alex.morgan@council.example.org"; // operator, Team lead

/** Monday 4 May 2026, 10:00 in London. */
export const START = "2026-05-04T09:00:00.000Z";

export interface JobWorld {
  handle: TestDatabase;
  db: TestDatabase["db"];
  clock: ReturnType<typeof fixedClock>;
  config: PortalConfig;
  deps: JobDeps;
  auth: AuthDeps;
  meadowbankId: string;
  /** Runs a job now (trigger cli unless told). */
  run(name: string, trigger?: JobTrigger): Promise<JobRunResult>;
  /** Moves the clock to START + days (fractions allowed). */
  travel(days: number): void;
  dispose(): Promise<void>;
}

export function jobsConfig(overrides: Record<string, unknown> = {}): PortalConfig {
  return validateConfig(mergeConfig(councilProfile, overrides));
}

export async function createJobWorld(options: { start?: string; config?: Record<string, unknown>; handle?: TestDatabase; seed?: boolean } = {}): Promise<JobWorld> {
  const start = options.start ?? START;
  const handle = options.handle ?? (await createTestDatabase());
  const clock = fixedClock(start);
  const config = jobsConfig(options.config);
  const secretsKey = process.env.PORTAL_SECRETS_KEY ? Buffer.from(process.env.PORTAL_SECRETS_KEY, "base64") : randomBytes(32);
  if (options.seed !== false) await seedDemo({ db: handle.db, config, clock, secretsKey, baseUrl: BASE_URL });
  const [meadowbank] = await handle.db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.odsCode, "AB1C2"));
  const deps: JobDeps = { db: handle.db, clock, config, baseUrl: BASE_URL, log: silentJobLog };
  return {
    handle,
    db: handle.db,
    clock,
    config,
    deps,
    auth: { db: handle.db, config, clock, secretsKey, baseUrl: BASE_URL },
    meadowbankId: meadowbank?.id ?? "",
    run: (name, trigger = "cli") => runJob(name, deps, { trigger }),
    travel: (days) => clock.set(new Date(Date.parse(start) + days * DAY)),
    dispose: () => handle.dispose(),
  };
}

let counter = 0;
let hash: Promise<string> | undefined;

export type AccountRow = typeof tables.accounts.$inferSelect;

/**
 * A new account in Meadowbank (or the operator), active and able to sign in with the demo
 * secrets unless told otherwise; every timestamp can be set.
 */
export async function makeAccount(
  world: JobWorld,
  values: Partial<Pick<AccountRow, "status" | "audience" | "lastSignInAt" | "activatedAt" | "createdAt" | "endDate" | "igTrainingDate" | "organisationId" | "fullName">> & {
    roles?: string[];
  } = {},
): Promise<AccountRow> {
  hash ??= hashPassword(DEMO_PASSWORD);
  const n = ++counter;
  const audience = values.audience ?? "provider";
  let organisationId = values.organisationId ?? world.meadowbankId;
  if (audience === "operator" && !values.organisationId) {
    const [operator] = await world.db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.kind, "operator"));
    organisationId = operator!.id;
  }
  const now = world.clock.now();
  const status = values.status ?? "active";
  const ready = status !== "pending";
  const [account] = await world.db
    .insert(tables.accounts)
    .values({
      organisationId,
      audience,
      fullName: values.fullName ?? `Job Test ${n}`,
      email: `job.test${n}.${randomBytes(3).toString("hex")}@meadowbank-care.example.org`,
      status,
      passwordHash: ready ? await hash : null,
      securityNumberSealed: ready ? sealSecurityNumber(world.auth.secretsKey, DEMO_SECURITY_NUMBER) : null,
      activatedAt: values.activatedAt === undefined ? (ready ? now : null) : values.activatedAt,
      lastSignInAt: values.lastSignInAt ?? null,
      createdAt: values.createdAt ?? now,
      endDate: values.endDate ?? null,
      igTrainingDate: values.igTrainingDate ?? null,
    })
    .returning();
  const roles = values.roles ?? (audience === "provider" ? ["care_coordinator"] : ["brokerage_officer"]);
  if (roles.length) await world.db.insert(tables.roleGrants).values(roles.map((roleKey) => ({ accountId: account!.id, roleKey })));
  return account!;
}

export async function accountById(db: Executor, id: string): Promise<AccountRow> {
  const [row] = await db.select().from(tables.accounts).where(eq(tables.accounts.id, id));
  if (!row) throw new Error(`no account ${id}`);
  return row;
}

export async function accountByEmail(db: Executor, email: string): Promise<AccountRow> {
  const [row] = await db.select().from(tables.accounts).where(eq(tables.accounts.email, email));
  if (!row) throw new Error(`no account ${email}`);
  return row;
}

/** Audit events of one action (optionally about one account), oldest first. */
export async function auditOf(db: Executor, action: string, subjectAccountId?: string) {
  return db
    .select()
    .from(tables.auditEvents)
    .where(subjectAccountId ? and(eq(tables.auditEvents.action, action), eq(tables.auditEvents.subjectAccountId, subjectAccountId)) : eq(tables.auditEvents.action, action))
    .orderBy(asc(tables.auditEvents.seq));
}

/** Outbox messages of one kind (optionally to one address), oldest first. */
export async function mailOf(db: Executor, kind: string, to?: string) {
  const rows = await db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, kind)).orderBy(asc(tables.outboundMessages.createdAt));
  return to ? rows.filter((m) => m.to.includes(to)) : rows;
}

/** Counts of everything a job could write: equal before and after means a run did nothing. */
export async function footprint(db: Executor) {
  const [row] = await queryRows(
    db,
    sql`select (select count(*) from audit_events)::int as audit, (select count(*) from outbound_messages)::int as mail,
      (select count(*) from job_notices)::int as notices, (select count(*) from licence_allocations)::int as allocations,
      (select count(*) from sessions where ended_at is null)::int as live_sessions,
      (select string_agg(id::text || ':' || status, ',' order by id) from accounts) as statuses`,
  );
  return row!;
}

/** A staff actor for reinstatements and "Run now". */
export async function staffActor(db: Executor, email = ALEX): Promise<Actor> {
  const account = await accountByEmail(db, email);
  return { accountId: account.id, label: account.fullName, channel: "web", clientAddress: "10.1.2.3", userAgent: "Vitest" };
}
