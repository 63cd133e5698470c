import { randomUUID } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import { auditEvents } from "../db/schema/audit";
import type { Executor } from "../db/types";
import { GENESIS_HASH, hashEvent, type HashedAuditFields } from "./canonical";
import { auditInputSchema, type Actor, type AuditInput } from "./events";

/** One advisory lock key serialises writers of the chain, so each event links to the one before. */
const AUDIT_CHAIN_LOCK = 74_201_001;

/**
 * Appends events to the audit chain inside the caller's transaction, so a change and its
 * record commit or roll back together. Several events go in one statement.
 */
export async function recordAudit(tx: Executor, actor: Actor, clock: Clock, inputs: AuditInput | AuditInput[]): Promise<HashedAuditFields[]> {
  const list = (Array.isArray(inputs) ? inputs : [inputs]).map((input) => auditInputSchema.parse(input));
  if (list.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const occurredAt = clock.now();
  const rows = list.map((input) => {
    seq += 1;
    const fields: HashedAuditFields = {
      seq,
      id: randomUUID(),
      occurredAt,
      action: input.action,
      channel: actor.channel,
      actorId: actor.accountId,
      actorLabel: actor.label,
      organisationId: input.organisationId ?? null,
      subjectAccountId: input.subjectAccountId ?? null,
      requestId: input.requestId ?? null,
      clientAddress: actor.clientAddress ?? null,
      userAgent: actor.userAgent ?? null,
      detail: input.detail,
      prevHash,
    };
    const hash = hashEvent(fields);
    prevHash = hash;
    return { ...fields, hash };
  });
  await tx.insert(auditEvents).values(rows);
  return rows;
}
