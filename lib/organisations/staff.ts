import { and, eq } from "drizzle-orm";
import type { Actor } from "../audit/events";
import { can, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import type { AccessLevel, PortalConfig } from "../config";
import { organisationCases } from "../db/schema/organisation-cases";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { serviceDay } from "../requests/rules";

/** The part of a signed-in viewer an organisation change checks (web and CLI build it with loadViewer). */
export type OrganisationStaffViewer = Pick<Viewer, "accountId" | "audience" | "grants">;

/** What every staff use case on organisations takes. */
export interface OrganisationStaffOptions {
  /** The database, or a transaction to join. */
  db: Executor;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  /** The operator staff member acting: needs organisations:edit (UAP-4.1). */
  viewer: OrganisationStaffViewer;
}

export type OrganisationRow = typeof organisations.$inferSelect;

/**
 * UAP-4.1 / UAP-2.3: only operator staff whose security role grants the level on
 * organisations change them; the actor must be that viewer, so the audit names who acted.
 */
export function requireOrganisationStaff(viewer: OrganisationStaffViewer, actor: Actor, level: AccessLevel = "edit"): void {
  if (viewer.audience !== "operator" || !can(viewer, "organisations", level)) {
    throw new AppError("forbidden", `account ${viewer.accountId} lacks ${level} on organisations`, "Page not found");
  }
  if (actor.accountId !== viewer.accountId) {
    throw new AppError("forbidden", "the actor is not the viewer whose permissions were checked", "Page not found");
  }
}

/** A provider organisation read under a row lock, so changes to it run one after another. */
export async function lockOrganisation(tx: Executor, organisationId: string): Promise<OrganisationRow> {
  const [row] = await tx
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, organisationId), eq(organisations.kind, "provider")))
    .for("update");
  if (!row) throw new AppError("not_found", `organisation ${organisationId} not found`, "The organisation could not be found.");
  return row;
}

/** Today (YYYY-MM-DD) in the service's time zone. */
export function serviceToday(config: PortalConfig, clock: Clock): string {
  return serviceDay(clock.now(), config.requests.serviceHours.timeZone);
}

export type OrganisationCaseRow = typeof organisationCases.$inferSelect;

/** A case of the organisation read under a row lock; a case of another organisation is "not found". */
export async function lockCase(tx: Executor, organisationId: string, caseId: string): Promise<OrganisationCaseRow> {
  const [row] = await tx
    .select()
    .from(organisationCases)
    .where(and(eq(organisationCases.id, caseId), eq(organisationCases.organisationId, organisationId)))
    .for("update");
  if (!row) throw new AppError("not_found", `case ${caseId} of ${organisationId} not found`, "The case could not be found.");
  return row;
}

/** Refuses a change to a closed case: it is part of the record. */
export function requireOpenCase(row: OrganisationCaseRow, reference: string): void {
  if (row.status !== "open") throw new AppError("conflict", `${reference} is closed`, `${reference} is closed: it can no longer change.`);
}
