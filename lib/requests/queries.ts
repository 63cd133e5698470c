import { and, asc, count, desc, eq, gte, inArray, isNull, like, lt, lte, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { can, type Viewer } from "../auth/permissions";
import { slaState, type SlaState } from "../calendar/working-time";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { auditEvents } from "../db/schema/audit";
import { organisations } from "../db/schema/organisations";
import { requestNotes, requests, requestStatuses, requestTypes } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import {
  actionedStatuses,
  availableActions,
  formatReference,
  isOpen,
  missingLeadConfirmations,
  openStatuses,
  relatedSystemsFor,
  serviceDayBounds,
  slaOutcome,
  typeLabels,
  type ActionCheck,
  type ConfirmationMethod,
  type RequestPriority,
  type RequestStatus,
  type RequestType,
  type StaffAction,
} from "./rules";
import { readPayload, type LeadConfirmation, type RelatedSystemTick, type RequestDetails, type RequestPayload, type SenderEvidence } from "./schema";

/**
 * Read models of requests: the staff queue and its dashboard, one request in full, and an
 * organisation's own requests for the provider portal. Each checks its viewer (UAP-2.3,
 * AUP-5.2d) and reads with a fixed number of statements (no query per row), on indexed
 * columns: (status, due_at), (organisation_id, created_at), (assignee_id, status),
 * resolved_at, and audit_events (request_id, seq).
 */

type QueryViewer = Pick<Viewer, "accountId" | "audience" | "grants" | "organisationId">;

export interface QueryOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  viewer: QueryViewer;
}

/** A request's standing against its due time: open ones on track, due today or overdue; actioned ones within or late. */
export type RequestSla = SlaState | "within" | "late";

function slaOf(row: { status: RequestStatus; dueAt: Date; resolvedAt: Date | null }, now: Date, timeZone: string): RequestSla {
  if (isOpen(row.status) || !row.resolvedAt) return slaState(row.dueAt, now, timeZone);
  return slaOutcome(row.dueAt, row.resolvedAt);
}

function requireStaffReader(viewer: QueryViewer): void {
  if (viewer.audience !== "operator" || !can(viewer, "requests", "read")) {
    throw new AppError("forbidden", `account ${viewer.accountId} lacks read on requests`, "Page not found");
  }
}

/** Staff with requests:read see every organisation's requests; a provider's users with users:read see their own organisation's. */
function canSeeOrganisation(viewer: QueryViewer, organisationId: string): "staff" | "provider" | null {
  if (viewer.audience === "operator" && can(viewer, "requests", "read")) return "staff";
  if (viewer.audience === "provider" && viewer.organisationId === organisationId && can(viewer, "users", "read")) return "provider";
  return null;
}

// ---------------------------------------------------------------------------------------------
// The queue

export const QUEUE_PAGE_SIZE = 25;
export const queueSorts = ["due", "received", "priority"] as const;
export type QueueSort = (typeof queueSorts)[number];

export interface QueueFilters {
  type?: RequestType;
  /** A status, several, "open" (the default: waiting for staff) or "all". */
  status?: RequestStatus | RequestStatus[] | "open" | "all";
  organisationId?: string;
  /** An assignee's account, or "unassigned". */
  assigneeId?: string | "unassigned";
  /** Open requests past their due time, or due later today (CC-5). */
  due?: "overdue" | "today";
}

export interface QueueRow {
  id: string;
  number: number;
  reference: string;
  type: RequestType;
  typeLabel: string;
  title: string;
  status: RequestStatus;
  priority: RequestPriority;
  channel: string;
  organisationId: string;
  organisationName: string;
  subjectAccountId: string | null;
  subjectName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  receivedAt: Date;
  dueAt: Date;
  resolvedAt: Date | null;
  sla: RequestSla;
  version: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const priorityOrder = sql<number>`case ${requests.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

function statusCondition(status: QueueFilters["status"]): SQL | undefined {
  if (status === "all") return undefined;
  const list = status === undefined || status === "open" ? [...openStatuses] : Array.isArray(status) ? status : [status];
  const known = list.filter((s) => (requestStatuses as readonly string[]).includes(s));
  return inArray(requests.status, known.length > 0 ? known : [...openStatuses]);
}

/** The staff queue (UCP-HD-1): filtered, sorted by due time (default), receipt or priority, a page at a time. */
export async function listQueue(
  options: QueryOptions & { filters?: QueueFilters; sort?: QueueSort; page?: number; pageSize?: number },
): Promise<Page<QueueRow>> {
  const { db, clock, config, viewer, filters = {} } = options;
  requireStaffReader(viewer);
  const now = clock.now();
  const timeZone = config.requests.serviceHours.timeZone;
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? QUEUE_PAGE_SIZE)), 200);

  const conditions: (SQL | undefined)[] = [statusCondition(filters.status)];
  if (filters.type && (requestTypes as readonly string[]).includes(filters.type)) conditions.push(eq(requests.type, filters.type));
  if (filters.organisationId) conditions.push(eq(requests.organisationId, filters.organisationId));
  if (filters.assigneeId === "unassigned") conditions.push(isNull(requests.assigneeId));
  else if (filters.assigneeId) conditions.push(eq(requests.assigneeId, filters.assigneeId));
  if (filters.due) {
    conditions.push(inArray(requests.status, [...openStatuses]));
    if (filters.due === "overdue") conditions.push(lt(requests.dueAt, now));
    else {
      const { end } = serviceDayBounds(now, timeZone);
      conditions.push(gte(requests.dueAt, now), lte(requests.dueAt, end));
    }
  }
  const where = and(...conditions);

  const [totals] = await db.select({ total: count() }).from(requests).where(where);
  const total = totals?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);

  const order =
    options.sort === "received"
      ? [asc(requests.receivedAt), asc(requests.number)]
      : options.sort === "priority"
        ? [asc(priorityOrder), asc(requests.dueAt), asc(requests.number)]
        : [asc(requests.dueAt), asc(requests.number)];
  const subject = alias(accounts, "subject");
  const assignee = alias(accounts, "assignee");
  const rows = await db
    .select({
      id: requests.id,
      number: requests.number,
      type: requests.type,
      title: requests.title,
      status: requests.status,
      priority: requests.priority,
      channel: requests.channel,
      organisationId: requests.organisationId,
      organisationName: organisations.name,
      subjectAccountId: requests.subjectAccountId,
      subjectName: subject.fullName,
      assigneeId: requests.assigneeId,
      assigneeName: assignee.fullName,
      receivedAt: requests.receivedAt,
      dueAt: requests.dueAt,
      resolvedAt: requests.resolvedAt,
      version: requests.version,
    })
    .from(requests)
    .innerJoin(organisations, eq(organisations.id, requests.organisationId))
    .leftJoin(subject, eq(subject.id, requests.subjectAccountId))
    .leftJoin(assignee, eq(assignee.id, requests.assigneeId))
    .where(where)
    .orderBy(...order)
    .limit(pageSize)
    .offset((page - 1) * pageSize);

  return {
    rows: rows.map((row) => ({ ...row, reference: formatReference(row.number), typeLabel: typeLabels[row.type], sla: slaOf(row, now, timeZone) })),
    total,
    page,
    pageSize,
    pageCount,
  };
}

export interface QueueDashboard {
  byStatus: Record<RequestStatus, number>;
  open: number;
  unassigned: number;
  dueToday: number;
  overdue: number;
  /** CC-5: requests actioned (resolved or rejected) in the last 30 days, by their due time. */
  sla30: { since: Date; within: number; late: number; total: number; percentWithin: number | null };
}

/** The back office's summary: counts by status, due today, overdue and the last 30 days' SLA record. */
export async function queueDashboard(options: QueryOptions): Promise<QueueDashboard> {
  const { db, clock, config, viewer } = options;
  requireStaffReader(viewer);
  const now = clock.now();
  const { end } = serviceDayBounds(now, config.requests.serviceHours.timeZone);
  const since = new Date(now.getTime() - 30 * 86_400_000);

  const statusRows = await db.select({ status: requests.status, n: count() }).from(requests).groupBy(requests.status);
  const byStatus = Object.fromEntries(requestStatuses.map((s) => [s, 0])) as Record<RequestStatus, number>;
  for (const row of statusRows) byStatus[row.status] = row.n;

  const [open] = await db
    .select({
      unassigned: sql<number>`count(*) filter (where ${requests.assigneeId} is null)::int`,
      overdue: sql<number>`count(*) filter (where ${requests.dueAt} < ${now})::int`,
      dueToday: sql<number>`count(*) filter (where ${requests.dueAt} >= ${now} and ${requests.dueAt} <= ${end})::int`,
    })
    .from(requests)
    .where(inArray(requests.status, [...openStatuses]));

  const [record] = await db
    .select({
      within: sql<number>`count(*) filter (where ${requests.resolvedAt} <= ${requests.dueAt})::int`,
      late: sql<number>`count(*) filter (where ${requests.resolvedAt} > ${requests.dueAt})::int`,
    })
    .from(requests)
    .where(and(gte(requests.resolvedAt, since), lte(requests.resolvedAt, now), inArray(requests.status, [...actionedStatuses])));

  const within = record?.within ?? 0;
  const late = record?.late ?? 0;
  return {
    byStatus,
    open: openStatuses.reduce((sum, s) => sum + byStatus[s], 0),
    unassigned: open?.unassigned ?? 0,
    dueToday: open?.dueToday ?? 0,
    overdue: open?.overdue ?? 0,
    sla30: { since, within, late, total: within + late, percentWithin: within + late > 0 ? Math.round((within / (within + late)) * 1000) / 10 : null },
  };
}

// ---------------------------------------------------------------------------------------------
// One request

export interface HistoryEntry {
  seq: number;
  occurredAt: Date;
  action: string;
  channel: string;
  actorLabel: string;
  /** What changed; staff only (provider viewers see the step, not the internals). */
  detail?: Record<string, unknown>;
}

export interface RequestDetail {
  request: Omit<QueueRow, "organisationName" | "subjectName" | "assigneeName" | "typeLabel"> & {
    typeLabel: string;
    closedAt: Date | null;
    resolution: string | null;
  };
  details: RequestDetails;
  requester: RequestPayload["requester"];
  emailAttestation: RequestPayload["emailAttestation"] | null;
  sender: SenderEvidence | null;
  organisation: { id: string; name: string; odsCode: string; status: string };
  subject: { id: string; fullName: string; email: string; status: string; jobTitle: string | null; endDate: string | null; roles: string[] } | null;
  assignee: { id: string; fullName: string } | null;
  /** Internal notes (AUP-5.2e); empty for provider viewers. */
  notes: { id: string; authorId: string | null; authorLabel: string; channel: string; body: string; createdAt: Date }[];
  history: HistoryEntry[];
  /** UAP-A.3, for a Lead change. */
  leadConfirmations: Partial<Record<ConfirmationMethod, LeadConfirmation>>;
  missingConfirmations: ConfirmationMethod[];
  /** UAP-A.2b: each related system of the type, ticked or not. */
  relatedSystems: { key: string; name: string; tick: RelatedSystemTick | null }[];
  outcome: Record<string, unknown> | null;
  /** What staff can do now (empty for provider viewers). */
  actions: { action: StaffAction; check: ActionCheck }[];
}

/**
 * A request in full for staff (with notes, its audit history and what can be done next), or —
 * for a provider viewer of the same organisation — without the internal notes and with the
 * steps of its history only. Anyone else gets not_found.
 */
export async function getRequestDetail(options: QueryOptions & { requestId: string }): Promise<RequestDetail> {
  const { db, clock, config, viewer } = options;
  const now = clock.now();
  const subject = alias(accounts, "subject");
  const assignee = alias(accounts, "assignee");
  const [row] = await db
    .select({ request: requests, organisation: organisations, subject, assignee: { id: assignee.id, fullName: assignee.fullName } })
    .from(requests)
    .innerJoin(organisations, eq(organisations.id, requests.organisationId))
    .leftJoin(subject, eq(subject.id, requests.subjectAccountId))
    .leftJoin(assignee, eq(assignee.id, requests.assigneeId))
    .where(eq(requests.id, options.requestId));
  const seeing = row ? canSeeOrganisation(viewer, row.request.organisationId) : null;
  if (!row || !seeing) throw new AppError("not_found", `request ${options.requestId} not visible to ${viewer.accountId}`, "Page not found");
  const { request, organisation } = row;
  const payload = readPayload(request.payload);
  const staff = seeing === "staff";

  const [roles, notes, history] = await Promise.all([
    row.subject ? db.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, row.subject.id)) : Promise.resolve([]),
    staff
      ? db
          .select({ id: requestNotes.id, authorId: requestNotes.authorId, authorLabel: requestNotes.authorLabel, channel: requestNotes.channel, body: requestNotes.body, createdAt: requestNotes.createdAt })
          .from(requestNotes)
          .where(eq(requestNotes.requestId, request.id))
          .orderBy(asc(requestNotes.createdAt), asc(requestNotes.id))
      : Promise.resolve([]),
    requestHistory(db, [request.id], staff),
  ]);

  const timeZone = config.requests.serviceHours.timeZone;
  const leadConfirmations = payload.leadConfirmations ?? {};
  const facts = { type: request.type, status: request.status, leadConfirmations, relatedSystems: payload.relatedSystems, sender: payload.sender };
  return {
    request: {
      id: request.id,
      number: request.number,
      reference: formatReference(request.number),
      type: request.type,
      typeLabel: typeLabels[request.type],
      title: request.title,
      status: request.status,
      priority: request.priority,
      channel: request.channel,
      organisationId: request.organisationId,
      subjectAccountId: request.subjectAccountId,
      assigneeId: request.assigneeId,
      receivedAt: request.receivedAt,
      dueAt: request.dueAt,
      resolvedAt: request.resolvedAt,
      closedAt: request.closedAt,
      resolution: request.resolution,
      sla: slaOf(request, now, timeZone),
      version: request.version,
    },
    details: payload.details,
    requester: payload.requester,
    emailAttestation: payload.emailAttestation ?? null,
    sender: payload.sender ?? null,
    organisation: { id: organisation.id, name: organisation.name, odsCode: organisation.odsCode, status: organisation.status },
    subject: row.subject
      ? {
          id: row.subject.id,
          fullName: row.subject.fullName,
          email: row.subject.email,
          status: row.subject.status,
          jobTitle: row.subject.jobTitle,
          endDate: row.subject.endDate,
          roles: roles.map((r) => r.roleKey).sort(),
        }
      : null,
    assignee: row.assignee?.id ? { id: row.assignee.id, fullName: row.assignee.fullName } : null,
    notes,
    history: history.get(request.id) ?? [],
    leadConfirmations,
    missingConfirmations: request.type === "lead_change" ? missingLeadConfirmations(leadConfirmations) : [],
    relatedSystems: relatedSystemsFor(request.type, config).map((system) => ({ key: system.key, name: system.name, tick: payload.relatedSystems?.[system.key] ?? null })),
    outcome: payload.outcome ?? null,
    actions: staff && viewer.audience === "operator" && can(viewer, "requests", "edit") ? availableActions(facts, config) : [],
  };
}

/**
 * The audit history of some requests, in one statement on audit_events (request_id, seq).
 * Providers see the steps (no detail) and never the internal notes.
 */
async function requestHistory(db: Executor, requestIds: string[], staff: boolean): Promise<Map<string, HistoryEntry[]>> {
  const byRequest = new Map<string, HistoryEntry[]>();
  if (requestIds.length === 0) return byRequest;
  const conditions = [inArray(auditEvents.requestId, requestIds)];
  if (!staff) conditions.push(like(auditEvents.action, "request.%"), ne(auditEvents.action, "request.note_added"));
  const rows = await db
    .select({
      requestId: auditEvents.requestId,
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      action: auditEvents.action,
      channel: auditEvents.channel,
      actorLabel: auditEvents.actorLabel,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(asc(auditEvents.seq));
  for (const { requestId, detail, ...entry } of rows) {
    const list = byRequest.get(requestId!) ?? [];
    list.push(staff ? { ...entry, detail } : entry);
    byRequest.set(requestId!, list);
  }
  return byRequest;
}

// ---------------------------------------------------------------------------------------------
// An organisation's requests (provider portal)

export interface OrganisationRequestRow {
  id: string;
  reference: string;
  type: RequestType;
  typeLabel: string;
  title: string;
  status: RequestStatus;
  priority: RequestPriority;
  receivedAt: Date;
  dueAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  sla: RequestSla;
  requestedByName: string;
  history: HistoryEntry[];
}

/**
 * An organisation's requests, newest first, each with its status and history: for its Lead
 * correspondent (users:read in their own organisation) and for staff. Archived requests are
 * left out unless asked for.
 */
export async function listOrganisationRequests(
  options: QueryOptions & { organisationId: string; page?: number; pageSize?: number; includeArchived?: boolean },
): Promise<Page<OrganisationRequestRow>> {
  const { db, clock, config, viewer, organisationId } = options;
  const seeing = canSeeOrganisation(viewer, organisationId);
  if (!seeing) throw new AppError("forbidden", `account ${viewer.accountId} may not see requests of ${organisationId}`, "Page not found");
  const now = clock.now();
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? QUEUE_PAGE_SIZE)), 200);
  const where = and(eq(requests.organisationId, organisationId), options.includeArchived ? undefined : ne(requests.status, "archived"));
  const [totals] = await db.select({ total: count() }).from(requests).where(where);
  const total = totals?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const rows = await db
    .select({
      id: requests.id,
      number: requests.number,
      type: requests.type,
      title: requests.title,
      status: requests.status,
      priority: requests.priority,
      receivedAt: requests.receivedAt,
      dueAt: requests.dueAt,
      resolvedAt: requests.resolvedAt,
      resolution: requests.resolution,
      payload: requests.payload,
    })
    .from(requests)
    .where(where)
    .orderBy(desc(requests.createdAt), desc(requests.number))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const history = await requestHistory(
    db,
    rows.map((r) => r.id),
    seeing === "staff",
  );
  const timeZone = config.requests.serviceHours.timeZone;
  return {
    rows: rows.map(({ payload, number, ...row }) => ({
      ...row,
      reference: formatReference(number),
      typeLabel: typeLabels[row.type],
      sla: slaOf(row, now, timeZone),
      requestedByName: readPayload(payload).requester?.fullName ?? "",
      history: history.get(row.id) ?? [],
    })),
    total,
    page,
    pageSize,
    pageCount,
  };
}

/** A request's id from its reference (REQ-000123), for the CLI, Slack and email replies; null when none. */
export async function findRequestByNumber(db: Executor, number: number): Promise<{ id: string; organisationId: string } | null> {
  const [row] = await db.select({ id: requests.id, organisationId: requests.organisationId }).from(requests).where(eq(requests.number, number)).limit(1);
  return row ?? null;
}
