import { randomUUID } from "node:crypto";
import type { Actor, AuditInput } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";
import type { OutboundMessage } from "../mail/enqueue-message";

/**
 * Multi-row writes for the jobs. PostgreSQL takes at most 65,535 parameters a statement, so a
 * sweep of thousands of rows is written a few thousand rows a statement — never a row a trip.
 */

/** Rows per statement: the audit log has 15 columns, so 2,000 events stay well under the limit. */
export const ROWS_PER_STATEMENT = 2_000;

export function chunked<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** recordAudit, one multi-row insert per ROWS_PER_STATEMENT events, all in the caller's transaction. */
export async function recordAuditBatch(tx: Executor, actor: Actor, clock: Clock, events: AuditInput[]): Promise<number> {
  for (const chunk of chunked(events)) await recordAudit(tx, actor, clock, chunk);
  return events.length;
}

/**
 * enqueueMessage for many messages: the same outbox row, the same rule (a repeated idempotency
 * key is ignored), in the caller's transaction — one insert per ROWS_PER_STATEMENT messages.
 * Returns how many were queued (repeats excluded).
 */
export async function enqueueMessages(tx: Executor, messages: OutboundMessage[]): Promise<number> {
  let queued = 0;
  for (const chunk of chunked(messages)) {
    const rows = await tx
      .insert(outboundMessages)
      .values(
        chunk.map((message) => ({
          kind: message.kind,
          to: message.to,
          cc: message.cc ?? [],
          subject: message.subject,
          text: message.text,
          requestId: message.requestId ?? null,
          sensitive: message.sensitive ?? false,
          idempotencyKey: message.idempotencyKey ?? randomUUID(),
        })),
      )
      .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
      .returning({ id: outboundMessages.id });
    queued += rows.length;
  }
  return queued;
}
