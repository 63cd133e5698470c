import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { listOrganisationAccounts, type OrganisationAccount } from "../accounts/list-organisation-accounts";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { organisationCaseActions, organisationCases } from "../db/schema/organisation-cases";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { licenceUse, licenceYear } from "../requests/licences";
import { evaluateEligibility, readEligibility, type Eligibility, type EligibilityResult } from "./eligibility";
import { caseClosingGaps, formatCaseReference, type OrganisationStatus } from "./rules";
import { serviceToday, type OrganisationCaseRow, type OrganisationRow } from "./staff";

/** Read models for the organisation pages. The caller has checked the viewer may read organisations. */

export interface OrganisationDetail {
  organisation: OrganisationRow & { status: OrganisationStatus };
  eligibility: Eligibility & { recordedAt?: string; recordedBy?: string };
  checklist: EligibilityResult;
  licences: { year: number; allocation: number; used: number; percent: number; thresholdPercent: number; alerted: boolean; recorded: boolean };
  accounts: OrganisationAccount[];
  /** Accounts that are not suspended: a Lead can be invited only when there are none. */
  liveAccounts: number;
  cases: { id: string; reference: string; kind: OrganisationCaseRow["kind"]; mode: OrganisationCaseRow["mode"]; status: OrganisationCaseRow["status"]; effectiveDate: string; createdAt: Date }[];
  openCaseId: string | null;
}

async function loadOrganisation(db: Executor, organisationId: string): Promise<OrganisationRow> {
  const [organisation] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, organisationId), eq(organisations.kind, "provider")));
  if (!organisation) throw new AppError("not_found", `organisation ${organisationId} not found`, "The organisation could not be found.");
  return organisation;
}

export async function getOrganisationDetail(options: { db: Executor; config: PortalConfig; clock: Clock; organisationId: string }): Promise<OrganisationDetail> {
  const { db, config, clock } = options;
  const organisation = await loadOrganisation(db, options.organisationId);
  const today = serviceToday(config, clock);
  const year = licenceYear(clock.now());
  const [use, people, caseRows] = [
    await licenceUse(db, config, organisation.id, year),
    await listOrganisationAccounts(db, organisation.id),
    await db.select().from(organisationCases).where(eq(organisationCases.organisationId, organisation.id)).orderBy(desc(organisationCases.createdAt)),
  ];
  const stored = (organisation.eligibility ?? {}) as Record<string, unknown>;
  return {
    organisation,
    eligibility: {
      ...readEligibility(stored),
      ...(typeof stored.recordedAt === "string" ? { recordedAt: stored.recordedAt } : {}),
      ...(typeof stored.recordedBy === "string" ? { recordedBy: stored.recordedBy } : {}),
    },
    checklist: evaluateEligibility(stored, { type: organisation.type, today, region: config.operator.region }),
    licences: {
      year,
      allocation: use.allocation,
      used: use.used,
      percent: use.allocation > 0 ? Math.round((use.used / use.allocation) * 100) : 0,
      thresholdPercent: config.licences.alertThresholdPercent,
      alerted: use.alertedPercent !== null && use.alertedPercent >= config.licences.alertThresholdPercent,
      recorded: use.hasRow,
    },
    accounts: people,
    liveAccounts: people.filter((p) => p.status !== "suspended").length,
    cases: caseRows.map((c) => ({ id: c.id, reference: formatCaseReference(c.number), kind: c.kind, mode: c.mode, status: c.status, effectiveDate: c.effectiveDate, createdAt: c.createdAt })),
    openCaseId: caseRows.find((c) => c.status === "open")?.id ?? null,
  };
}

export interface CaseDetail {
  organisation: OrganisationRow;
  kase: OrganisationCaseRow;
  reference: string;
  told: { to: string[]; cc: string[]; at: string | null; suspended: number | null; sessionsEnded: number | null } | null;
  actions: (typeof organisationCaseActions.$inferSelect)[];
  /** Names of the staff who acted on the case, by account id. */
  people: Record<string, string>;
  /** What still stops the case closing (empty: it can close). */
  closingGaps: string[];
}

export async function getOrganisationCase(options: { db: Executor; organisationId: string; caseId: string }): Promise<CaseDetail> {
  const { db } = options;
  const organisation = await loadOrganisation(db, options.organisationId);
  const [kase] = await db
    .select()
    .from(organisationCases)
    .where(and(eq(organisationCases.id, options.caseId), eq(organisationCases.organisationId, organisation.id)));
  if (!kase) throw new AppError("not_found", `case ${options.caseId} not found`, "The case could not be found.");
  const actions = await db
    .select()
    .from(organisationCaseActions)
    .where(eq(organisationCaseActions.caseId, kase.id))
    .orderBy(asc(organisationCaseActions.effectiveDate), asc(organisationCaseActions.kind), asc(organisationCaseActions.createdAt));
  const ids = [kase.openedById, kase.confirmationRecordedById, kase.carePackagesCheckedById, kase.closedById].filter((id): id is string => Boolean(id));
  const people: Record<string, string> = {};
  if (ids.length > 0) {
    for (const p of await db.select({ id: accounts.id, fullName: accounts.fullName }).from(accounts).where(inArray(accounts.id, ids))) people[p.id] = p.fullName;
  }
  const told = kase.told as { to?: unknown; cc?: unknown; at?: unknown; suspended?: unknown; sessionsEnded?: unknown } | null;
  return {
    organisation,
    kase,
    reference: formatCaseReference(kase.number),
    told: told
      ? {
          to: Array.isArray(told.to) ? told.to.map(String) : [],
          cc: Array.isArray(told.cc) ? told.cc.map(String) : [],
          at: typeof told.at === "string" ? told.at : null,
          suspended: typeof told.suspended === "number" ? told.suspended : null,
          sessionsEnded: typeof told.sessionsEnded === "number" ? told.sessionsEnded : null,
        }
      : null,
    actions,
    people,
    closingGaps: caseClosingGaps({ ...kase, scheduledActions: actions.filter((a) => a.status === "scheduled").length }),
  };
}
