import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit, type Actor } from "../audit";
import type { Clock } from "../clock";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export const retryMessageSchema = z.object({ messageId: z.uuid() });

/**
 * Staff put a dead message back in the queue (outbox:edit): it is due at once and gets a full
 * set of attempts again. Its idempotency key is kept, so a message the service did accept
 * after all is not delivered twice. Audited in the same transaction.
 *
 * @throws AppError `not_found` when there is no such message; `conflict` when it is not dead
 * (someone retried it first, or it was never given up).
 */
export async function retryDeadMessage(options: { tx: Executor; actor: Actor; clock: Clock; messageId: string }): Promise<void> {
  const { tx, actor, clock, messageId } = options;
  const now = clock.now();
  const [before] = await tx
    .select({ status: outboundMessages.status, kind: outboundMessages.kind, attempts: outboundMessages.attempts, lastError: outboundMessages.lastError, requestId: outboundMessages.requestId })
    .from(outboundMessages)
    .where(eq(outboundMessages.id, messageId))
    .for("update");
  if (!before) throw new AppError("not_found", `no outbound message ${messageId}`, "That email no longer exists.");
  if (before.status !== "dead") {
    throw new AppError("conflict", `outbound message ${messageId} is ${before.status}, not dead`, "That email is no longer waiting for a retry: someone may have retried it already.");
  }
  await tx
    .update(outboundMessages)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now, updatedAt: now })
    .where(and(eq(outboundMessages.id, messageId), eq(outboundMessages.status, "dead")));
  await recordAudit(tx, actor, clock, {
    action: "mail.retry_requested",
    requestId: before.requestId,
    detail: { messageId, kind: before.kind, previousAttempts: before.attempts, lastError: before.lastError },
  });
}
