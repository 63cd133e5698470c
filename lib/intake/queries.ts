import { count, desc, eq } from "drizzle-orm";
import { can, type Viewer } from "../auth/permissions";
import { inboundMessages } from "../db/schema/inbound-messages";
import { requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { formatReference } from "../requests/rules";

export interface InboundMessageItem {
  id: string;
  processedAt: Date | null;
  receivedAt: Date;
  from: string | null;
  fromName: string | null;
  subject: string | null;
  classification: string | null;
  action: string | null;
  folder: string | null;
  reason: string | null;
  senderVerified: boolean;
  /** SPF / DKIM / DMARC results in one line, e.g. "SPF pass, DKIM none, DMARC fail". */
  authentication: string | null;
  messageId: string | null;
  request: string | null;
  requestId: string | null;
}

const PAGE_SIZE = 50;

function authSummary(value: Record<string, unknown> | null): string | null {
  if (!value) return null;
  const part = (name: string) => {
    const method = value[name] as { result?: string } | null | undefined;
    return `${name.toUpperCase()} ${method?.result ?? "none"}`;
  };
  return ["spf", "dkim", "dmarc"].map(part).join(", ");
}

/**
 * The intake's record for staff (operator, requests:read): every message taken from the
 * operator mailbox, newest first, with what was decided and why, and the request it made.
 */
export async function listInboundMessages(options: { db: Executor; viewer: Pick<Viewer, "accountId" | "audience" | "grants">; page?: number }): Promise<{ items: InboundMessageItem[]; total: number; page: number; pages: number }> {
  const { db, viewer } = options;
  if (viewer.audience !== "operator" || !can(viewer, "requests", "read")) {
    throw new AppError("not_found", `account ${viewer.accountId} may not read the intake record`, "Page not found");
  }
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(inboundMessages);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await db
    .select({ message: inboundMessages, number: requests.number })
    .from(inboundMessages)
    .leftJoin(requests, eq(requests.id, inboundMessages.requestId))
    .orderBy(desc(inboundMessages.createdAt), desc(inboundMessages.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  const items = rows.map(({ message: m, number }) => ({
    id: m.id,
    processedAt: m.processedAt,
    receivedAt: m.createdAt,
    from: m.fromAddress,
    fromName: m.fromName,
    subject: m.subject,
    classification: m.classification,
    action: m.action,
    folder: m.folder,
    reason: m.reason,
    senderVerified: m.senderVerified,
    authentication: authSummary(m.authentication ?? null),
    messageId: m.messageId,
    request: number ? formatReference(number) : null,
    requestId: m.requestId,
  }));
  return { items, total, page, pages };
}
