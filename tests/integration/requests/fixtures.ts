import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Actor, Channel } from "@/lib/audit";
import { loadViewer, type Viewer } from "@/lib/auth/permissions";
import { fixedClock } from "@/lib/clock";
import type { PortalConfig } from "@/lib/config";
import { tables } from "@/lib/db";
import { queryRows, type Executor } from "@/lib/db/types";
import { seedDemo } from "@/lib/demo/seed-demo";
import { AppError } from "@/lib/errors";
import { assignRequest } from "@/lib/requests/assign-request";
import { prioritiseRequest } from "@/lib/requests/prioritise-request";
import { startRequest } from "@/lib/requests/start-request";
import type { StaffActionOptions } from "@/lib/requests/staff-action";
import { submitRequest, type SubmitRequestOptions } from "@/lib/requests/submit-request";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { requestTestConfig } from "@/tests/unit/requests/request-config";

/** Shared set-up for the request integration tests: the demo seed on a fixed clock. */

export const BASE_URL = "https://portal.example.org";
export const PRIYA = "priya.shah@meadowbank-care.example.org"; // Meadowbank's Lead correspondent
export const TOM = "tom.baker@meadowbank-care.example.org"; // Meadowbank, Finance (not an authoriser)
export const AMINA = "amina.okafor@meadowbank-care.example.org"; // Meadowbank, Care coordinator
export const KATE = "kate.ellis@meadowbank-care.example.org"; // Meadowbank, temporary (end date in 5 days)
export const LEE = "lee.jones@meadowbank-care.example.org"; // Meadowbank, suspended
export const SAM = "sam.patel@council.example.org"; // operator, Brokerage officer (requests:edit)
export const ALEX = "alex.morgan@council.example.org"; // operator, Team lead (requests:edit)
export const CHRIS = "chris.evans@council.example.org"; // operator, Auditor (requests:read only)

export interface RequestWorld {
  handle: TestDatabase;
  db: TestDatabase["db"];
  clock: ReturnType<typeof fixedClock>;
  config: PortalConfig;
  meadowbankId: string;
  dispose(): Promise<void>;
}

/** Tuesday 5 May 2026, 10:00 in London: a working day after the early May bank holiday. */
export const TUESDAY = "2026-05-05T09:00:00.000Z";

export async function createRequestWorld(start = TUESDAY, configOverrides: Record<string, unknown> = {}): Promise<RequestWorld> {
  const handle = await createTestDatabase();
  const clock = fixedClock(start);
  const config = requestTestConfig(configOverrides);
  const secretsKey = process.env.PORTAL_SECRETS_KEY ? Buffer.from(process.env.PORTAL_SECRETS_KEY, "base64") : randomBytes(32);
  // Without the sample contacts, contract and query: the provider-function tests count their own rows.
  await seedDemo({ db: handle.db, config, clock, secretsKey, providerFunctions: false });
  const [meadowbank] = await handle.db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.odsCode, "AB1C2"));
  return { handle, db: handle.db, clock, config, meadowbankId: meadowbank!.id, dispose: () => handle.dispose() };
}

export async function accountByEmail(db: Executor, email: string) {
  const [account] = await db.select().from(tables.accounts).where(sql`lower(${tables.accounts.email}) = ${email.toLowerCase()}`);
  if (!account) throw new Error(`no account ${email}`);
  return account;
}

/** The actor for an account, through a channel (web unless said). */
export async function actorFor(db: Executor, email: string, channel: Channel = "web"): Promise<Actor> {
  const account = await accountByEmail(db, email);
  return { accountId: account.id, label: account.fullName, channel, clientAddress: channel === "web" ? "10.1.2.3" : null, userAgent: channel === "web" ? "Vitest" : null };
}

export async function viewerFor(world: RequestWorld, email: string): Promise<Viewer> {
  const account = await accountByEmail(world.db, email);
  // Suspended and pending accounts have no viewer; tests of them build the grants by hand.
  const viewer = await loadViewer(world.db, world.config, { accountId: account.id, sessionId: "test-session" });
  if (!viewer) throw new Error(`${email} is not active`);
  return viewer;
}

/** Options for a staff action by `email` (web unless said) on a request. */
export async function staffOptions(world: RequestWorld, email: string, requestId: string, channel: Channel = "web"): Promise<StaffActionOptions> {
  return { db: world.db, actor: await actorFor(world.db, email, channel), clock: world.clock, config: world.config, viewer: await viewerFor(world, email), requestId };
}

export function newUserInput(overrides: Record<string, unknown> = {}) {
  const n = randomBytes(3).toString("hex");
  return {
    type: "new_user",
    fullName: `Jo Example ${n}`,
    email: `jo.example.${n}@nhs.net`,
    jobTitle: "Care Coordinator",
    roleKeys: ["care_coordinator"],
    purpose: "Arranging home care visits for the people we support",
    ...overrides,
  };
}

/** Submits as Priya (the Lead correspondent) through the web unless told otherwise. */
export async function submitAs(world: RequestWorld, input: Record<string, unknown>, who = PRIYA, extra: Partial<SubmitRequestOptions> = {}, channel: Channel = "web") {
  return submitRequest({ db: world.db, actor: await actorFor(world.db, who, channel), clock: world.clock, config: world.config, input, ...extra });
}

/** Prioritises, assigns (to Sam) and starts a request, as Sam. */
export async function bringToInProgress(world: RequestWorld, requestId: string, by = SAM) {
  const options = await staffOptions(world, by, requestId);
  const sam = await accountByEmail(world.db, SAM);
  await prioritiseRequest({ ...options, priority: "normal" });
  await assignRequest({ ...options, assigneeId: sam.id });
  await startRequest(options);
}

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
export async function appError(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

export async function requestRow(db: Executor, requestId: string) {
  const [row] = await db.select().from(tables.requests).where(eq(tables.requests.id, requestId));
  if (!row) throw new Error(`no request ${requestId}`);
  return row;
}

/** Audit events about a request, oldest first. */
export async function requestAudit(db: Executor, requestId: string) {
  return db.select().from(tables.auditEvents).where(eq(tables.auditEvents.requestId, requestId)).orderBy(asc(tables.auditEvents.seq));
}

/** Outbox messages about a request (optionally of one kind), oldest first. */
export async function requestMail(db: Executor, requestId: string, kind?: string) {
  return db
    .select()
    .from(tables.outboundMessages)
    .where(kind ? and(eq(tables.outboundMessages.requestId, requestId), eq(tables.outboundMessages.kind, kind)) : eq(tables.outboundMessages.requestId, requestId))
    .orderBy(asc(tables.outboundMessages.createdAt), asc(tables.outboundMessages.kind));
}

export async function rolesOf(db: Executor, accountId: string): Promise<string[]> {
  const rows = await db.select({ roleKey: tables.roleGrants.roleKey }).from(tables.roleGrants).where(eq(tables.roleGrants.accountId, accountId));
  return rows.map((r) => r.roleKey).sort();
}

/** Row counts of everything a request could change: equal before and after means nothing changed. */
export async function footprint(db: Executor) {
  const [row] = await queryRows(
    db,
    sql`select (select count(*) from requests)::int as requests, (select count(*) from audit_events)::int as audit,
      (select count(*) from outbound_messages)::int as mail, (select count(*) from accounts)::int as accounts,
      (select count(*) from role_grants)::int as grants, (select count(*) from request_notes)::int as notes,
      (select coalesce(sum(version), 0) from requests)::int as versions,
      (select string_agg(status, ',' order by id) from accounts) as statuses`,
  );
  return row!;
}

/** A second provider organisation with an active Lead correspondent, or in another state. */
export async function createProvider(world: RequestWorld, status: "active" | "onboarding" | "closing" | "closed" = "active") {
  const n = randomBytes(3).toString("hex");
  const [organisation] = await world.db
    .insert(tables.organisations)
    .values({ odsCode: `Z${n}`.toUpperCase(), name: `Brookside Care ${n}`, kind: "provider", type: "care_home", status })
    .returning();
  const [lead] = await world.db
    .insert(tables.accounts)
    .values({ organisationId: organisation!.id, audience: "provider", fullName: `Lead ${n}`, email: `lead.${n}@brookside.example.org`, status: "active" })
    .returning();
  await world.db.insert(tables.roleGrants).values({ accountId: lead!.id, roleKey: world.config.leadRoleKey });
  return { organisation: organisation!, lead: lead! };
}
