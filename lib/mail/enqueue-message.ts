import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { outboundMessages } from "../db/schema/outbox";
import { arrayParamsFor } from "../db/array-param";
import { sendAll, type BatchStatement } from "../db/pipeline";
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

/**
 * Messages a statement in enqueueMessages: the database inserts one batch while Node builds the
 * next. The first batch is smaller, so the database starts working at once.
 */
const BATCH_ROWS = 2_500;
const FIRST_BATCH_ROWS = 500;

/**
 * enqueueMessage for many messages (the jobs' sweeps): the same outbox rows and the same rule
 * (a repeated idempotency key is ignored), in the caller's transaction. Each batch goes to the
 * database as one array a column (unnest) rather than a bind parameter a value, and is
 * inserted while the next is built. Returns how many were queued (repeats excluded).
 */
export async function enqueueMessages(tx: Executor, messages: readonly OutboundMessage[]): Promise<number> {
  let queued = 0;
  await sendAll(messageStatements(tx, messages, (n) => (queued += n)));
  return queued;
}

/**
 * enqueueMessages' insert statements, a batch each, for a writer whose statements share one
 * pipeline with others' (the inactivity sweep): each batch's document is built only when its
 * turn comes, from `messages` as it is iterated (so a sweep's messages can be made a batch at a
 * time too), and each statement reports how many it queued to `onQueued`.
 */
export function* messageStatements(tx: Executor, messages: Iterable<OutboundMessage>, onQueued: (queued: number) => void): Generator<BatchStatement> {
  let batch: OutboundMessage[] = [];
  const arrays = arrayParamsFor(tx);
  const statementOf = (list: OutboundMessage[]) => {
    // One array a column, unnested together (see ArrayParams): "to" and cc as JSON text each, cast to jsonb.
    const kinds = arrays.text(list.map((m) => m.kind));
    const to = arrays.text(list.map((m) => JSON.stringify(m.to)));
    const cc = arrays.text(list.map((m) => JSON.stringify(m.cc ?? [])));
    const subjects = arrays.text(list.map((m) => m.subject));
    const texts = arrays.text(list.map((m) => m.text));
    const requestIds = arrays.uuid(list.map((m) => m.requestId ?? null));
    const sensitive = arrays.bool(list.map((m) => m.sensitive ?? false));
    const keys = arrays.text(list.map((m) => m.idempotencyKey ?? randomUUID()));
    return () =>
      queryRows<{ queued: number }>(
        tx,
        sql`with queued as (
          insert into outbound_messages (kind, "to", cc, subject, text, request_id, sensitive, idempotency_key)
          select m.kind, m."to"::jsonb, m.cc::jsonb, m.subject, m.text, m.request_id, m.sensitive, m.idempotency_key
          from unnest(${kinds}::text[], ${to}::text[], ${cc}::text[], ${subjects}::text[], ${texts}::text[], ${requestIds}::uuid[], ${sensitive}::boolean[], ${keys}::text[])
            as m(kind, "to", cc, subject, text, request_id, sensitive, idempotency_key)
          on conflict (idempotency_key) do nothing
          returning 1
        ) select count(*)::int as queued from queued`,
      ).then(([row]) => onQueued(row?.queued ?? 0));
  };
  let size = FIRST_BATCH_ROWS;
  for (const message of messages) {
    batch.push(message);
    if (batch.length === size) {
      yield statementOf(batch);
      batch = [];
      size = BATCH_ROWS;
    }
  }
  if (batch.length > 0) yield statementOf(batch);
}
