import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { can, requirePermission, type Viewer } from "../auth/permissions";
import { careScope, visiblePackages } from "../care/need-to-know";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { carePackages, individuals, payments } from "../db/schema/care";
import { organisations } from "../db/schema/organisations";
import { queryMessages, queryThreads, type QueryStatus } from "../db/schema/queries";
import type { Executor } from "../db/types";
import { threadFor } from "./access";

const threadColumns = {
  id: queryThreads.id,
  number: queryThreads.number,
  topic: queryThreads.topic,
  subject: queryThreads.subject,
  status: queryThreads.status,
  openedByLabel: queryThreads.openedByLabel,
  lastMessageAt: queryThreads.lastMessageAt,
  createdAt: queryThreads.createdAt,
  organisationName: organisations.name,
};

/**
 * The organisation's queries for a provider user with queries:read, newest activity first;
 * without queries:read, only the messages to the operator they sent themselves.
 */
export async function organisationQueries(db: Executor, viewer: Viewer, limit = 100) {
  const where = can(viewer, "queries", "read")
    ? eq(queryThreads.organisationId, viewer.organisationId)
    : and(eq(queryThreads.organisationId, viewer.organisationId), eq(queryThreads.topic, "operator"), eq(queryThreads.openedById, viewer.accountId));
  if (viewer.audience !== "provider") return [];
  return db
    .select(threadColumns)
    .from(queryThreads)
    .innerJoin(organisations, eq(organisations.id, queryThreads.organisationId))
    .where(where)
    .orderBy(desc(queryThreads.lastMessageAt))
    .limit(limit);
}

/** The staff queue (requests:read): waiting for the operator first, oldest first, then the rest. */
export async function staffQueryQueue(db: Executor, viewer: Viewer, options: { status?: QueryStatus | "open" } = {}, limit = 200) {
  requirePermission(viewer, "requests", "read");
  const status = options.status ?? "open";
  const where = status === "open" ? inArray(queryThreads.status, ["awaiting_operator", "awaiting_provider"]) : eq(queryThreads.status, status);
  return db
    .select(threadColumns)
    .from(queryThreads)
    .innerJoin(organisations, eq(organisations.id, queryThreads.organisationId))
    .where(where)
    .orderBy(sql`${queryThreads.status} <> 'awaiting_operator'`, asc(queryThreads.lastMessageAt))
    .limit(limit);
}

/** One thread with its messages in order, and what it is about, if the viewer may read it (else not_found). */
export async function queryThreadDetail(db: Executor, viewer: Viewer, threadId: string) {
  const { thread, side } = await threadFor(db, viewer, threadId, "read");
  const [messages, [organisation], [individual], [payment]] = await Promise.all([
    db.select().from(queryMessages).where(eq(queryMessages.threadId, thread.id)).orderBy(asc(queryMessages.seq)),
    db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, thread.organisationId)),
    thread.individualId
      ? db.select({ id: individuals.id, fullName: individuals.fullName }).from(individuals).where(eq(individuals.id, thread.individualId))
      : Promise.resolve([]),
    thread.paymentId
      ? db.select({ id: payments.id, reference: payments.reference, dueDate: payments.dueDate, amountPence: payments.amountPence }).from(payments).where(eq(payments.id, thread.paymentId))
      : Promise.resolve([]),
  ]);
  return { thread, side, messages, organisationName: organisation?.name ?? "", individual: individual ?? null, payment: payment ?? null };
}

/** The people a provider may open a query about: those whose care the organisation currently provides (need to know). */
export async function queryableIndividuals(db: Executor, viewer: Viewer, clock: Clock, config: PortalConfig) {
  requirePermission(viewer, "queries", "edit");
  return db
    .selectDistinct({ id: individuals.id, fullName: individuals.fullName })
    .from(individuals)
    .innerJoin(carePackages, eq(carePackages.individualId, individuals.id))
    .where(visiblePackages(careScope({ organisationId: viewer.organisationId, clock, config })))
    .orderBy(asc(individuals.fullName))
    .limit(500);
}

/** The organisation's payments a query may be about, most recent first. */
export async function queryablePayments(db: Executor, viewer: Viewer) {
  requirePermission(viewer, "queries", "edit");
  return db
    .select({ id: payments.id, reference: payments.reference, dueDate: payments.dueDate, amountPence: payments.amountPence })
    .from(payments)
    .where(eq(payments.organisationId, viewer.organisationId))
    .orderBy(desc(payments.dueDate))
    .limit(200);
}

/** The messages to the operator the viewer sent from the contacts page, newest activity first (AUP-2.1a). */
export async function ownOperatorMessages(db: Executor, viewer: Viewer, limit = 20) {
  requirePermission(viewer, "contacts", "read");
  return db
    .select(threadColumns)
    .from(queryThreads)
    .innerJoin(organisations, eq(organisations.id, queryThreads.organisationId))
    .where(and(eq(queryThreads.organisationId, viewer.organisationId), eq(queryThreads.topic, "operator"), eq(queryThreads.openedById, viewer.accountId)))
    .orderBy(desc(queryThreads.lastMessageAt))
    .limit(limit);
}
