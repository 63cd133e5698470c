import { count, desc, eq } from "drizzle-orm";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";

export const OUTBOX_PAGE_SIZE = 50;

export interface OutboxListItem {
  id: string;
  kind: string;
  to: string[];
  subject: string;
  status: string;
  sensitive: boolean;
  createdAt: Date;
  sentAt: Date | null;
}

/** The outbox, newest first, a page at a time (1-based page). */
export async function listOutbox(db: Executor, page = 1): Promise<{ items: OutboxListItem[]; total: number; page: number; pages: number }> {
  const [totals] = await db.select({ total: count() }).from(outboundMessages);
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
      createdAt: outboundMessages.createdAt,
      sentAt: outboundMessages.sentAt,
    })
    .from(outboundMessages)
    .orderBy(desc(outboundMessages.createdAt), desc(outboundMessages.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((current - 1) * OUTBOX_PAGE_SIZE);
  return { items, total, page: current, pages };
}

export const MASKED_BODY = "This message carries a secret (a set-up link, reset link or one-time code) and was sent to its recipient only.";

/** One message; a sensitive body is masked unless `revealSensitive` (no mail service: staff are the delivery). */
export async function getOutboundMessage(db: Executor, id: string, options: { revealSensitive: boolean }) {
  const [row] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, id)).limit(1);
  if (!row) return null;
  const masked = row.sensitive && !options.revealSensitive;
  return { ...row, text: masked ? MASKED_BODY : row.text, masked };
}
