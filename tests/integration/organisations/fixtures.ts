import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import * as tables from "@/lib/db/schema";
import type { Executor } from "@/lib/db/types";
import { activateOrganisation } from "@/lib/organisations/activate-organisation";
import { createOrganisation } from "@/lib/organisations/create-organisation";
import { recordEligibility } from "@/lib/organisations/record-eligibility";
import type { OrganisationStaffOptions } from "@/lib/organisations/staff";
import { accountByEmail, actorFor, viewerFor, type RequestWorld } from "../requests/fixtures";

export { ALEX, appError, accountByEmail, BASE_URL, CHRIS, createRequestWorld, PRIYA, SAM, TUESDAY, type RequestWorld } from "../requests/fixtures";

/** Options for an organisation change by `email` through the web. */
export async function staffAs(world: RequestWorld, email: string): Promise<OrganisationStaffOptions> {
  return { db: world.db, actor: await actorFor(world.db, email), clock: world.clock, config: world.config, viewer: await viewerFor(world, email) };
}

/** A checklist that passes for a care home in the region. */
export const passingChecklist = { odsVerified: "yes", dpiaListed: "yes", dsptStatus: "Standards Met", dsptDate: "2026-03-31", inRegion: "yes" };

/** A new provider organisation, onboarding, with a fresh ODS code. */
export async function newOrganisation(world: RequestWorld, by: string, overrides: Record<string, unknown> = {}) {
  const n = randomBytes(2).toString("hex").toUpperCase();
  return createOrganisation({ ...(await staffAs(world, by)), input: { odsCode: `Q${n}`, name: `Oak Lodge ${n}`, type: "care_home", address: "1 Oak Road, Exampletown", ...overrides } });
}

/** A new organisation taken through the checklist and activated. */
export async function activeOrganisation(world: RequestWorld, by: string) {
  const organisation = await newOrganisation(world, by);
  const staff = await staffAs(world, by);
  await recordEligibility({ ...staff, organisationId: organisation.id, input: passingChecklist });
  await activateOrganisation({ ...staff, organisationId: organisation.id });
  return organisation;
}

export async function organisationRow(db: Executor, id: string) {
  const [row] = await db.select().from(tables.organisations).where(eq(tables.organisations.id, id));
  return row!;
}

/** A live session for an account, as sign-in would leave it. */
export async function openSession(world: RequestWorld, email: string) {
  const account = await accountByEmail(world.db, email);
  const [row] = await world.db
    .insert(tables.sessions)
    .values({ accountId: account.id, securityStamp: account.securityStamp, expiresAt: new Date(world.clock.now().getTime() + 3_600_000) })
    .returning();
  return row!;
}

export async function liveSessionsOf(db: Executor, organisationId: string) {
  return db
    .select({ id: tables.sessions.id })
    .from(tables.sessions)
    .innerJoin(tables.accounts, eq(tables.accounts.id, tables.sessions.accountId))
    .where(and(eq(tables.accounts.organisationId, organisationId), isNull(tables.sessions.endedAt)));
}

/** Audit events about an organisation (optionally one action), oldest first. */
export async function organisationAudit(db: Executor, organisationId: string, action?: string) {
  return db
    .select()
    .from(tables.auditEvents)
    .where(action ? and(eq(tables.auditEvents.organisationId, organisationId), eq(tables.auditEvents.action, action)) : eq(tables.auditEvents.organisationId, organisationId))
    .orderBy(asc(tables.auditEvents.seq));
}

/** Outbox messages of a kind to an address, oldest first. */
export async function mailTo(db: Executor, email: string, kind?: string) {
  const rows = await db
    .select()
    .from(tables.outboundMessages)
    .where(kind ? and(sql`${tables.outboundMessages.to} @> ${JSON.stringify([email])}::jsonb`, eq(tables.outboundMessages.kind, kind)) : sql`${tables.outboundMessages.to} @> ${JSON.stringify([email])}::jsonb`)
    .orderBy(asc(tables.outboundMessages.createdAt));
  return rows;
}

export async function accountsOf(db: Executor, organisationId: string) {
  return db.select().from(tables.accounts).where(eq(tables.accounts.organisationId, organisationId)).orderBy(asc(tables.accounts.email));
}
