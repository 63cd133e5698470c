import { randomUUID } from "node:crypto";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";
import type { OutboundMessage } from "../mail/enqueue-message";

/**
 * Writes many messages to the outbox in one statement, in the caller's transaction (the
 * set-based twin of enqueueMessage, for jobs that email one message per organisation). A
 * message whose idempotency key is already there is left out. Returns how many were queued.
 */
export async function queueMessages(tx: Executor, messages: readonly OutboundMessage[]): Promise<number> {
  const rows = messages
    .filter((m) => m.to.length > 0)
    .map((m) => ({
      kind: m.kind,
      to: m.to,
      cc: m.cc ?? [],
      subject: m.subject,
      text: m.text,
      requestId: m.requestId ?? null,
      sensitive: m.sensitive ?? false,
      idempotencyKey: m.idempotencyKey ?? randomUUID(),
    }));
  if (rows.length === 0) return 0;
  const queued = await tx.insert(outboundMessages).values(rows).onConflictDoNothing({ target: outboundMessages.idempotencyKey }).returning({ id: outboundMessages.id });
  return queued.length;
}
