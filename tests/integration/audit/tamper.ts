import { GENESIS_HASH, hashEvent, type HashedAuditFields } from "@/lib/audit/canonical";

/**
 * SQL a tamperer with superuser rights would run against the audit log, for the tampering
 * tests (UAP-4.4): the append-only triggers are switched off around the change and on again.
 */

type StoredEvent = HashedAuditFields & { hash: string };

const literal = (value: string | null) => (value === null ? "null" : `'${value.replaceAll("'", "''")}'`);

export function withTriggersOff(statements: string): string {
  return `BEGIN;
    ALTER TABLE audit_events DISABLE TRIGGER USER;
    ${statements}
    ALTER TABLE audit_events ENABLE TRIGGER USER;
    COMMIT;`;
}

/**
 * The cleverest rewrite: change one event, then recompute every hash after it so the chain is
 * self-consistent again. Only a checkpoint kept outside the table can tell.
 */
export function rewriteWholeChain(events: StoredEvent[], change: (event: StoredEvent) => StoredEvent): string {
  let prevHash = GENESIS_HASH;
  const updates: string[] = [];
  for (const original of events) {
    const { hash: _old, ...fields } = change(original);
    const rewritten: HashedAuditFields = { ...fields, prevHash };
    const hash = hashEvent(rewritten);
    updates.push(
      `UPDATE audit_events SET actor_label = ${literal(rewritten.actorLabel)}, detail = ${literal(JSON.stringify(rewritten.detail))}::jsonb, prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${rewritten.seq};`,
    );
    prevHash = hash;
  }
  return withTriggersOff(updates.join("\n"));
}

/** Removes event `seq` and renumbers the ones after it, so no gap in the sequence gives it away. */
export function deleteAndClose(seq: number): string {
  return withTriggersOff(`DELETE FROM audit_events WHERE seq = ${seq}; UPDATE audit_events SET seq = seq - 1 WHERE seq > ${seq};`);
}
