import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../audit/events";
import { can, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import type { AccessLevel, PortalConfig } from "../config";
import { requests } from "../db/schema/requests";
import type { Executor, Transaction } from "../db/types";
import { AppError } from "../errors";
import { checkAction, formatReference, isPastAction, statusLabels, type RequestStatus, type StaffAction } from "./rules";
import { readPayload, type RequestPayload } from "./schema";

export type RequestRow = typeof requests.$inferSelect;

/** The part of a signed-in viewer a staff action checks (web, Slack and CLI build it with loadViewer). */
export type StaffViewer = Pick<Viewer, "accountId" | "audience" | "grants">;

/** What every staff use case takes. */
export interface StaffActionOptions {
  /** The database, or a transaction to join. */
  db: Executor;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  /** The operator staff member acting: needs requests:edit (UAP-2.4, UAP-4.1). */
  viewer: StaffViewer;
  requestId: string;
  /** The version the person saw; a different one means someone acted meanwhile. */
  expectedVersion?: number;
}

/**
 * UAP-2.4 / UAP-4.1: only operator staff whose security role grants the level on requests act
 * on them. The actor must be that viewer: the audit trail names who really acted.
 */
export function requireRequestStaff(viewer: StaffViewer, actor: Actor, level: AccessLevel = "edit"): void {
  if (viewer.audience !== "operator" || !can(viewer, "requests", level)) {
    throw new AppError("forbidden", `account ${viewer.accountId} lacks ${level} on requests`, "Page not found");
  }
  if (actor.accountId !== viewer.accountId) {
    throw new AppError("forbidden", "the actor is not the viewer whose permissions were checked", "Page not found");
  }
}

/** Reads a request under a row lock: concurrent staff actions on it run one after the other. */
export async function lockRequest(tx: Executor, requestId: string): Promise<RequestRow> {
  const [row] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
  if (!row) throw new AppError("not_found", `request ${requestId} not found`, "The request could not be found.");
  return row;
}

/**
 * Moves a request on with a conditional update on its version, so a change made by someone
 * else in between is never overwritten: the second one gets "already actioned".
 */
export async function moveRequest(
  tx: Executor,
  clock: Clock,
  request: RequestRow,
  to: RequestStatus,
  set: Partial<Omit<typeof requests.$inferInsert, "id" | "version" | "status">> = {},
): Promise<RequestRow> {
  const [row] = await tx
    .update(requests)
    .set({ ...set, status: to, version: sql`${requests.version} + 1`, updatedAt: clock.now() })
    .where(and(eq(requests.id, request.id), eq(requests.version, request.version)))
    .returning();
  if (!row) throw alreadyActioned(request);
  return row;
}

export function alreadyActioned(request: Pick<RequestRow, "number" | "status">, detail?: string): AppError {
  const reference = formatReference(request.number);
  return new AppError(
    "conflict",
    `${reference} changed meanwhile (${request.status})${detail ? `: ${detail}` : ""}`,
    `${reference} has already been actioned by someone else: it is now ${statusLabels[request.status].toLowerCase()}. Check it again before you act.`,
  );
}

/**
 * The frame of every staff action: one transaction; permission; the request read under a
 * lock; the version the person saw; the lifecycle rule for the action. `body` then makes the
 * change, its emails and its audit events in that same transaction.
 */
export async function runStaffAction<T>(
  options: StaffActionOptions,
  action: StaffAction,
  body: (tx: Transaction, request: RequestRow, payload: RequestPayload, to: RequestStatus) => Promise<T>,
): Promise<T> {
  const { db, actor, viewer, config, expectedVersion } = options;
  requireRequestStaff(viewer, actor);
  return db.transaction(async (tx) => {
    const request = await lockRequest(tx, options.requestId);
    const payload = readPayload(request.payload);
    if (expectedVersion !== undefined && expectedVersion !== request.version) throw alreadyActioned(request, `version ${request.version}, expected ${expectedVersion}`);
    const check = checkAction(action, { type: request.type, status: request.status, leadConfirmations: payload.leadConfirmations, relatedSystems: payload.relatedSystems, sender: payload.sender }, config);
    if (!check.ok) {
      if (check.blockedBy === "status" && isPastAction(action, request.status)) throw alreadyActioned(request, `${action} refused`);
      throw new AppError("refused", `${formatReference(request.number)}: ${action} refused: ${check.reason}`, check.reason);
    }
    return body(tx, request, payload, check.to);
  });
}

/** The audit fields every request event carries, so its history is found by organisation and request. */
export function requestAuditFields(request: Pick<RequestRow, "id" | "organisationId" | "subjectAccountId">) {
  return { requestId: request.id, organisationId: request.organisationId, subjectAccountId: request.subjectAccountId };
}
