import { and, eq, inArray } from "drizzle-orm";
import { auditEvents } from "../db/schema/audit";
import { requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { formatReference } from "../requests/rules";

export interface ImportBatch {
  id: string;
  occurredAt: Date;
  fileName: string | null;
  rows: number;
  requests: { row: number; reference: string; requestId: string; title: string }[];
}

/**
 * One bulk import, for its confirmation page: read from its own request.bulk_submitted audit
 * event, and only by the account that made it for its organisation (anyone else: null).
 */
export async function findImportBatch(db: Executor, options: { batchId: string; accountId: string; organisationId: string }): Promise<ImportBatch | null> {
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.id, options.batchId),
        eq(auditEvents.action, "request.bulk_submitted"),
        eq(auditEvents.actorId, options.accountId),
        eq(auditEvents.organisationId, options.organisationId),
      ),
    )
    .limit(1);
  if (!event) return null;
  const detail = event.detail as { source?: { fileName?: string | null }; rows?: number; requests?: { row: number; reference: string; requestId: string }[] };
  const made = detail.requests ?? [];
  const titles = new Map<string, { title: string; number: number }>();
  for (let i = 0; i < made.length; i += 1_000) {
    const ids = made.slice(i, i + 1_000).map((r) => r.requestId);
    const rows = await db.select({ id: requests.id, title: requests.title, number: requests.number }).from(requests).where(and(inArray(requests.id, ids), eq(requests.organisationId, options.organisationId)));
    for (const row of rows) titles.set(row.id, row);
  }
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    fileName: detail.source?.fileName ?? null,
    rows: detail.rows ?? made.length,
    requests: made.map((r) => {
      const found = titles.get(r.requestId);
      return { row: r.row, requestId: r.requestId, reference: found ? formatReference(found.number) : r.reference, title: found?.title ?? "" };
    }),
  };
}
