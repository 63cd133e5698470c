import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { outboundMessages } from "../db/schema/outbox";
import { Pipeline } from "../db/pipeline";
import { queryRows, type Executor } from "../db/types";

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

/** Messages a statement in enqueueMessages: the database inserts one batch while Node builds the next. */
const BATCH_ROWS = 2_500;

/**
 * enqueueMessage for many messages (the jobs' sweeps): the same outbox rows and the same rule
 * (a repeated idempotency key is ignored), in the caller's transaction. Each batch goes to the
 * database as one JSON document (json_to_recordset) rather than a bind parameter a value, and
 * is inserted while the next is built. Returns how many were queued (repeats excluded).
 */
export async function enqueueMessages(tx: Executor, messages: readonly OutboundMessage[]): Promise<number> {
  let queued = 0;
  const inserts = new Pipeline();
  for (let i = 0; i < messages.length && !inserts.failed; i += BATCH_ROWS) {
    const document = JSON.stringify(
      messages.slice(i, i + BATCH_ROWS).map((message) => ({
        kind: message.kind,
        to: message.to,
        cc: message.cc ?? [],
        subject: message.subject,
        text: message.text,
        request_id: message.requestId ?? null,
        sensitive: message.sensitive ?? false,
        idempotency_key: message.idempotencyKey ?? randomUUID(),
      })),
    );
    await inserts.send(() =>
      queryRows<{ queued: number }>(
        tx,
        sql`with queued as (
          insert into outbound_messages (kind, "to", cc, subject, text, request_id, sensitive, idempotency_key)
          select m.kind, m."to", m.cc, m.subject, m.text, m.request_id, m.sensitive, m.idempotency_key
          from json_to_recordset(${document}::json)
            as m(kind text, "to" jsonb, cc jsonb, subject text, text text, request_id uuid, sensitive boolean, idempotency_key text)
          on conflict (idempotency_key) do nothing
          returning 1
        ) select count(*)::int as queued from queued`,
      ).then(([row]) => {
        queued += row?.queued ?? 0;
      }),
    );
  }
  await inserts.settle();
  return queued;
}
