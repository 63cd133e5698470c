import { count, desc, eq } from "drizzle-orm";
import { outboundMessages, outboundStatuses } from "../db/schema/outbox";
import type { Executor } from "../db/types";

export const OUTBOX_PAGE_SIZE = 50;

export type OutboundStatus = (typeof outboundStatuses)[number];

export function isOutboundStatus(value: unknown): value is OutboundStatus {
  return typeof value === "string" && (outboundStatuses as readonly string[]).includes(value);
}

export interface OutboxListItem {
  id: string;
  kind: string;
  to: string[];
  subject: string;
  status: OutboundStatus;
  sensitive: boolean;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxFilter {
  /** Only messages in this state (e.g. "dead": the dead letters, for staff to look into). */
  status?: OutboundStatus;
}

/** The outbox, newest first, a page at a time (1-based page), optionally in one state only. */
export async function listOutbox(
  db: Executor,
  page = 1,
  filter: OutboxFilter = {},
): Promise<{ items: OutboxListItem[]; total: number; page: number; pages: number }> {
  const where = filter.status ? eq(outboundMessages.status, filter.status) : undefined;
  const [totals] = await db.select({ total: count() }).from(outboundMessages).where(where);
  const total = totals?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const items = await db
    .select({
      id: outboundMessages.id,
      kind: outboundMessages.kind,
      to: outboundMessages.to,
      subject: outboundMessages.subject,
      status: outboundMessages.status,
      sensitive: outboundMessages.sensitive,
      attempts: outboundMessages.attempts,
      nextAttemptAt: outboundMessages.nextAttemptAt,
      lastError: outboundMessages.lastError,
      createdAt: outboundMessages.createdAt,
      sentAt: outboundMessages.sentAt,
    })
    .from(outboundMessages)
    .where(where)
    .orderBy(desc(outboundMessages.createdAt), desc(outboundMessages.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((current - 1) * OUTBOX_PAGE_SIZE);
  return { items, total, page: current, pages };
}

/** How many messages are in each state (every state present, zero when none). */
export async function countOutboxByStatus(db: Executor): Promise<Record<OutboundStatus, number>> {
  const rows = await db.select({ status: outboundMessages.status, total: count() }).from(outboundMessages).groupBy(outboundMessages.status);
  const counts = Object.fromEntries(outboundStatuses.map((s) => [s, 0])) as Record<OutboundStatus, number>;
  for (const row of rows) counts[row.status] = row.total;
  return counts;
}

export const MASKED_BODY = "This message carries a secret (a set-up link, reset link or one-time code) and was sent to its recipient only.";

/** One message; a sensitive body is masked unless `revealSensitive` (no mail service: staff are the delivery). */
export async function getOutboundMessage(db: Executor, id: string, options: { revealSensitive: boolean }) {
  const [row] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, id)).limit(1);
  if (!row) return null;
  const masked = row.sensitive && !options.revealSensitive;
  return { ...row, text: masked ? MASKED_BODY : row.text, masked };
}
