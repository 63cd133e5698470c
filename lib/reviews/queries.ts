import { and, asc, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { organisations } from "../db/schema/organisations";
import { requests } from "../db/schema/requests";
import { accessReviewItems, accessReviews } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { formatReference, serviceDay } from "../requests/rules";
import { reviewNotFound } from "./reviewer";
import {
  REPORT_IDLE_DAYS,
  canSignOff,
  decisionsFor,
  endDatePassed,
  idleForReport,
  periodLabel,
  reviewPeriodFor,
  reviewStanding,
  trainingCutoff,
  trainingExpired,
  type ReviewPeriod,
  type ReviewStanding,
} from "./rules";
import type { ReviewDecision } from "./schema";

/** The read models of the quarterly review: the Lead's list and review page, and the operator's report. */

interface QueryOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
}

export interface ReviewSummary {
  id: string;
  organisationId: string;
  periodStart: string;
  periodEnd: string;
  periodLabel: string;
  dueOn: string;
  openedAt: Date;
  signedOffAt: Date | null;
  signedOffByLabel: string | null;
  escalatedAt: Date | null;
  total: number;
  decided: number;
  standing: ReviewStanding;
}

const reviewColumns = {
  id: accessReviews.id,
  organisationId: accessReviews.organisationId,
  periodStart: accessReviews.periodStart,
  periodEnd: accessReviews.periodEnd,
  dueOn: accessReviews.dueOn,
  openedAt: accessReviews.openedAt,
  signedOffAt: accessReviews.signedOffAt,
  signedOffByLabel: accessReviews.signedOffByLabel,
  escalatedAt: accessReviews.escalatedAt,
  total: sql<number>`(select count(*) from ${accessReviewItems} where ${accessReviewItems.reviewId} = ${accessReviews.id})::int`,
  decided: sql<number>`(select count(*) from ${accessReviewItems} where ${accessReviewItems.reviewId} = ${accessReviews.id} and ${accessReviewItems.decision} is not null)::int`,
};

type ReviewRowRead = Omit<ReviewSummary, "periodLabel" | "standing">;

function summarise(row: ReviewRowRead, today: string, config: PortalConfig): ReviewSummary {
  return { ...row, periodLabel: periodLabel(row.periodStart, row.periodEnd), standing: reviewStanding(row, today, config.accounts.reviewReminderDays) };
}

function todayFor(clock: Clock, config: PortalConfig): string {
  return serviceDay(clock.now(), config.requests.serviceHours.timeZone);
}

/** UAP-4.2: an organisation's reviews, the current one first. The caller has checked the viewer may see them. */
export async function reviewsForOrganisation(options: QueryOptions & { organisationId: string }): Promise<ReviewSummary[]> {
  const { db, clock, config, organisationId } = options;
  const rows = await db.select(reviewColumns).from(accessReviews).where(eq(accessReviews.organisationId, organisationId)).orderBy(desc(accessReviews.periodStart));
  const today = todayFor(clock, config);
  return rows.map((row) => summarise(row, today, config));
}

export interface ReviewItemView {
  accountId: string;
  fullName: string;
  email: string;
  jobTitle: string | null;
  /** As the account stood when the review opened. */
  status: "pending" | "active" | "suspended";
  roleKeys: string[];
  lastSignInAt: Date | null;
  igTrainingDate: string | null;
  endDate: string | null;
  decision: ReviewDecision | null;
  decisionDetail: Record<string, unknown>;
  decidedAt: Date | null;
  decidedByLabel: string | null;
  request: { id: string; reference: string; status: string } | null;
  /** The decisions the review page offers for this account. */
  choices: ReviewDecision[];
}

export interface ReviewDetail {
  review: ReviewSummary & { organisationName: string; signedOffById: string | null };
  items: ReviewItemView[];
  canSignOff: boolean;
}

/**
 * One review with every account listed, its snapshot and decision (and the request a decision
 * became). With `organisationId`, a review of another organisation is "not found" (AUP-5.2d).
 */
export async function reviewDetail(options: QueryOptions & { reviewId: string; organisationId?: string }): Promise<ReviewDetail> {
  const { db, clock, config, reviewId } = options;
  const [row] = await db
    .select({ ...reviewColumns, organisationName: organisations.name, signedOffById: accessReviews.signedOffById })
    .from(accessReviews)
    .innerJoin(organisations, eq(organisations.id, accessReviews.organisationId))
    .where(eq(accessReviews.id, reviewId));
  if (!row || (options.organisationId && row.organisationId !== options.organisationId)) throw reviewNotFound(reviewId);
  const items = await db
    .select({ item: accessReviewItems, requestNumber: requests.number, requestStatus: requests.status })
    .from(accessReviewItems)
    .leftJoin(requests, eq(requests.id, accessReviewItems.requestId))
    .where(eq(accessReviewItems.reviewId, reviewId))
    .orderBy(asc(accessReviewItems.fullName), asc(accessReviewItems.email));
  const review = { ...summarise(row, todayFor(clock, config), config), organisationName: row.organisationName, signedOffById: row.signedOffById };
  return {
    review,
    items: items.map(({ item, requestNumber, requestStatus }) => ({
      accountId: item.accountId,
      fullName: item.fullName,
      email: item.email,
      jobTitle: item.jobTitle,
      status: item.status,
      roleKeys: item.roleKeys,
      lastSignInAt: item.lastSignInAt,
      igTrainingDate: item.igTrainingDate,
      endDate: item.endDate,
      decision: item.decision,
      decisionDetail: item.decisionDetail,
      decidedAt: item.decidedAt,
      decidedByLabel: item.decidedByLabel,
      request: item.requestId && requestNumber !== null ? { id: item.requestId, reference: formatReference(requestNumber), status: requestStatus ?? "" } : null,
      choices: decisionsFor(item, config.leadRoleKey),
    })),
    canSignOff: !review.signedOffAt && canSignOff(review),
  };
}

// ---------------------------------------------------------------------------------------------
// The operator's quarterly review report (UAP-4.3a)

export interface ReportAccount {
  accountId: string;
  fullName: string;
  email: string;
  status: "pending" | "active" | "suspended";
  /** Why it is listed: the last sign-in, the training date, the end date. */
  lastSignInAt: Date | null;
  igTrainingDate: string | null;
  endDate: string | null;
}

export interface ReportOrganisation {
  organisationId: string;
  name: string;
  odsCode: string;
  status: string;
  /** Accounts not suspended. */
  openAccounts: number;
  /** Active accounts with no sign-in for REPORT_IDLE_DAYS (from activation when never signed in). */
  idle: ReportAccount[];
  /** Accounts not suspended holding no security role. */
  noRole: ReportAccount[];
  /** Accounts not suspended whose IG training is older than the validity, or not recorded (CC-7f). */
  trainingExpired: ReportAccount[];
  /** Accounts not suspended whose end date has passed (CC-7c). */
  endDatePassed: ReportAccount[];
  /** The organisation's latest review, or null when it has had none. */
  lastReview: ReviewSummary | null;
}

export interface QuarterlyReport {
  generatedAt: Date;
  today: string;
  /** The review period today falls in. */
  period: ReviewPeriod;
  idleDays: number;
  trainingValidityMonths: number;
  /** Training before this day has expired. */
  trainingCutoff: string;
  organisations: ReportOrganisation[];
  /** Latest reviews overdue (not signed off after their due date). */
  overdue: number;
}

/**
 * UAP-4.3a: the operator's quarterly review of provider accounts — per provider organisation
 * (those not closed, and closed ones that still have accounts open), the accounts with no
 * sign-in in 30 days, with no role, with expired training, past their end date, and the
 * standing of its latest review. Three queries however many organisations and accounts; the
 * findings are decided by the pure rules in rules.ts.
 */
export async function quarterlyReport(options: QueryOptions): Promise<QuarterlyReport> {
  const { db, clock, config } = options;
  const now = clock.now();
  const today = todayFor(clock, config);
  const validity = config.accounts.igTrainingValidityMonths;

  const openAccount = and(eq(accounts.organisationId, organisations.id), ne(accounts.status, "suspended"));
  const orgs = await db
    .select({ id: organisations.id, name: organisations.name, odsCode: organisations.odsCode, status: organisations.status })
    .from(organisations)
    .where(and(eq(organisations.kind, "provider"), or(ne(organisations.status, "closed"), sql`exists (select 1 from ${accounts} where ${openAccount})`)))
    .orderBy(asc(organisations.name));
  const ids = orgs.map((o) => o.id);

  const people =
    ids.length === 0
      ? []
      : await db
          .select({
            accountId: accounts.id,
            organisationId: accounts.organisationId,
            fullName: accounts.fullName,
            email: accounts.email,
            status: accounts.status,
            lastSignInAt: accounts.lastSignInAt,
            activatedAt: accounts.activatedAt,
            createdAt: accounts.createdAt,
            igTrainingDate: accounts.igTrainingDate,
            endDate: accounts.endDate,
            roles: sql<number>`(select count(*) from role_grants g where g.account_id = ${accounts.id})::int`,
          })
          .from(accounts)
          .where(and(inArray(accounts.organisationId, ids), eq(accounts.audience, "provider"), ne(accounts.status, "suspended")))
          .orderBy(asc(accounts.fullName), asc(accounts.email));

  const latest =
    ids.length === 0
      ? []
      : await db
          .selectDistinctOn([accessReviews.organisationId], reviewColumns)
          .from(accessReviews)
          .where(inArray(accessReviews.organisationId, ids))
          .orderBy(accessReviews.organisationId, desc(accessReviews.periodStart));
  const lastReview = new Map(latest.map((row) => [row.organisationId, summarise(row, today, config)]));

  const report = new Map<string, ReportOrganisation>(
    orgs.map((o) => [
      o.id,
      { organisationId: o.id, name: o.name, odsCode: o.odsCode, status: o.status, openAccounts: 0, idle: [], noRole: [], trainingExpired: [], endDatePassed: [], lastReview: lastReview.get(o.id) ?? null },
    ]),
  );
  for (const person of people) {
    const entry = report.get(person.organisationId);
    if (!entry) continue;
    const listed: ReportAccount = {
      accountId: person.accountId,
      fullName: person.fullName,
      email: person.email,
      status: person.status,
      lastSignInAt: person.lastSignInAt,
      igTrainingDate: person.igTrainingDate,
      endDate: person.endDate,
    };
    entry.openAccounts += 1;
    if (person.status === "active" && idleForReport(person, now)) entry.idle.push(listed);
    if (person.roles === 0) entry.noRole.push(listed);
    if (trainingExpired(person.igTrainingDate, today, validity)) entry.trainingExpired.push(listed);
    if (endDatePassed(person.endDate, today)) entry.endDatePassed.push(listed);
  }
  const list = [...report.values()];
  return {
    generatedAt: now,
    today,
    period: reviewPeriodFor(today, config.accounts.reviewIntervalMonths),
    idleDays: REPORT_IDLE_DAYS,
    trainingValidityMonths: validity,
    trainingCutoff: trainingCutoff(today, validity),
    organisations: list,
    overdue: list.filter((o) => o.lastReview?.standing === "overdue").length,
  };
}
