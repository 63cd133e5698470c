import { randomUUID } from "node:crypto";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";

export interface OutboundMessage {
  kind: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  requestId?: string | null;
  /** Carries a secret (set-up link, one-time code): never logged, masked in exports. */
  sensitive?: boolean;
  /** Same key, same message: a retried change never queues it twice. */
  idempotencyKey?: string;
}

/**
 * Writes a message to the outbox in the caller's transaction: it is sent only if the change
 * that caused it commits (the delivery worker sends it; without a mail service staff read it).
 */
export async function enqueueMessage(tx: Executor, message: OutboundMessage): Promise<string> {
  const [row] = await tx
    .insert(outboundMessages)
    .values({
      kind: message.kind,
      to: message.to,
      cc: message.cc ?? [],
      subject: message.subject,
      text: message.text,
      requestId: message.requestId ?? null,
      sensitive: message.sensitive ?? false,
      idempotencyKey: message.idempotencyKey ?? randomUUID(),
    })
    .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
    .returning({ id: outboundMessages.id });
  return row?.id ?? "";
}
