import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { auditEvents } from "../db/schema/audit";
import { outboundMessages } from "../db/schema/outbox";
import type { Executor } from "../db/types";
import type { OutboundMessage } from "../mail/enqueue-message";
import { GENESIS_HASH } from "./canonical";
import type { Actor } from "./events";
import { recordAudit } from "./record-audit";
import { verifyAuditChain, type ChainCheckpoint, type ChainVerdict } from "./verify-chain";

/**
 * Checkpoints of the audit chain (UAP-4.4, issue 11). A hash chain proves each event follows
 * the one before, but whoever can rewrite the whole table can recompute every hash. So once a
 * day the head — its sequence number and hash — is emailed out of the database (to
 * `audit.checkpointEmail`) and kept in the outbox; verification then also requires the
 * checkpointed event to still exist with that hash. The email is the copy an attacker with
 * the database cannot reach: `portal audit verify --checkpoint SEQ:HASH` checks against it.
 */

export const CHECKPOINT_KIND = "audit_checkpoint";
export const CHAIN_BROKEN_KIND = "audit_chain_broken";

/** A checkpoint as written in the email and accepted on the command line. */
export const checkpointSchema = z.object({
  seq: z.coerce.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hexadecimal digits (a SHA-256)"),
  at: z.coerce.date(),
});

/** Reads a checkpoint from the text of its email: the "Sequence:", "Hash:" and "Recorded at:" lines. */
export function parseCheckpointText(text: string): ChainCheckpoint | null {
  const line = (label: string) => new RegExp(`^${label}: *(\\S+) *$`, "m").exec(text)?.[1];
  const parsed = checkpointSchema.safeParse({ seq: line("Sequence"), hash: line("Hash"), at: line("Recorded at") });
  return parsed.success ? parsed.data : null;
}

/** `SEQ:HASH` as an operator copies it from the email. */
export function parseCheckpointArgument(value: string): { ok: true; checkpoint: ChainCheckpoint } | { ok: false; message: string } {
  const match = /^\s*(\d+):([0-9a-fA-F]{64})\s*$/.exec(value);
  if (!match) return { ok: false, message: "A checkpoint is written SEQUENCE:HASH, as in the checkpoint email, e.g. 1024:3f9a… (64 hexadecimal digits)." };
  return { ok: true, checkpoint: { seq: Number(match[1]), hash: match[2]!.toLowerCase(), at: null } };
}

/**
 * The last checkpoint kept in the outbox: the one naming the latest event (if the log was
 * rewritten before an earlier checkpoint, that event's successors — the last checkpoint's
 * event among them — carry different hashes too).
 */
export async function latestCheckpoint(db: Executor): Promise<ChainCheckpoint | null> {
  const rows = await db.select({ text: outboundMessages.text }).from(outboundMessages).where(eq(outboundMessages.kind, CHECKPOINT_KIND));
  let latest: ChainCheckpoint | null = null;
  for (const row of rows) {
    const checkpoint = parseCheckpointText(row.text);
    if (checkpoint && (!latest || checkpoint.seq > latest.seq || (checkpoint.seq === latest.seq && (checkpoint.at?.getTime() ?? 0) > (latest.at?.getTime() ?? 0)))) latest = checkpoint;
  }
  return latest;
}

/** The checkpoint email: plain text, no personal data — a number, a hash and a time. */
export function checkpointMessage(config: PortalConfig, checkpoint: ChainCheckpoint, day: string, teamLeads: readonly string[] = []): OutboundMessage {
  const address = config.audit.checkpointEmail;
  return {
    kind: CHECKPOINT_KIND,
    // Without a configured archive address the team leads receive it: a checkpoint that never
    // leaves the database would not survive a rewrite of the database.
    to: address ? [address] : [...teamLeads],
    subject: `${config.operator.shortName} audit log checkpoint ${day}: event ${checkpoint.seq}`,
    text: [
      `The ${config.operator.shortName} audit log's daily checkpoint (UAP-4.4). Keep this email: it is the record, outside`,
      "the portal's database, against which the log is verified. If the log were ever rewritten, the event below",
      "would no longer carry this hash.",
      "",
      `Sequence: ${checkpoint.seq}`,
      `Hash: ${checkpoint.hash}`,
      `Recorded at: ${(checkpoint.at ?? new Date(0)).toISOString()}`,
      "",
      `To verify the log against this checkpoint: portal audit verify --checkpoint ${checkpoint.seq}:${checkpoint.hash}`,
    ].join("\n"),
    idempotencyKey: `${CHECKPOINT_KIND}:${day}`,
  };
}

export interface ChainJobContext {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  /** Who the audit log names: the job. */
  actor: Actor;
  /** The day (YYYY-MM-DD, in the service's time zone) the run belongs to: one checkpoint and one alert per day. */
  day: string;
  /** Who is told when verification fails: the operator's team leads (the job finds them). */
  alertTo: string[];
}

export type CheckpointOutcome =
  | { status: "recorded"; checkpoint: ChainCheckpoint; queued: boolean; to: string[] }
  | { status: "chain_broken"; verdict: Extract<ChainVerdict, { ok: false }>; alerted: boolean };

/**
 * The daily checkpoint: verify the chain against the last checkpoint first — a broken chain is
 * never checkpointed (that would bless the rewrite), it raises the alert instead — then keep
 * the head in the outbox and email it — to `audit.checkpointEmail`, or to the team leads when
 * none is configured. Only when there is nobody at all to send it to is it stored as not sent,
 * saying why; it still anchors verification. Idempotent per day.
 */
export async function recordChainCheckpoint(context: ChainJobContext): Promise<CheckpointOutcome> {
  const { db, clock, config, actor, day } = context;
  const verdict = await verifyAuditChain(db, { checkpoint: await latestCheckpoint(db) });
  if (!verdict.ok) return { status: "chain_broken", verdict, alerted: await raiseChainAlert(context, verdict) };

  const [head] = await db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const checkpoint: ChainCheckpoint = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH, at: clock.now() };
  const message = checkpointMessage(config, checkpoint, day, context.alertTo);
  const kept = message.to.length > 0 ? {} : { status: "dead" as const, lastError: "Not sent: no audit.checkpointEmail is configured and there is no team lead to send it to, so the checkpoint is kept in the outbox only." };
  const rows = await db
    .insert(outboundMessages)
    .values({ kind: message.kind, to: message.to, cc: [], subject: message.subject, text: message.text, idempotencyKey: message.idempotencyKey!, ...kept })
    .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
    .returning({ id: outboundMessages.id });
  const queued = rows.length > 0;
  if (queued) {
    await recordAudit(db, actor, clock, {
      action: "audit.checkpoint_recorded",
      detail: { seq: checkpoint.seq, hash: checkpoint.hash, to: message.to, messageId: rows[0]!.id },
    });
  }
  return { status: "recorded", checkpoint, queued, to: message.to };
}

/** The nightly check: verify against the last checkpoint and alert on failure. */
export async function verifyChainAndAlert(context: ChainJobContext): Promise<{ verdict: ChainVerdict; alerted: boolean }> {
  const verdict = await verifyAuditChain(context.db, { checkpoint: await latestCheckpoint(context.db) });
  return { verdict, alerted: verdict.ok ? false : await raiseChainAlert(context, verdict) };
}

/**
 * Tells the team leads (one email a day per first bad event) and records the failure in the
 * log itself: appending is still possible and the failure belongs in the record.
 */
async function raiseChainAlert(context: ChainJobContext, verdict: Extract<ChainVerdict, { ok: false }>): Promise<boolean> {
  const { db, clock, config, actor, day } = context;
  const to = context.alertTo.length > 0 ? context.alertTo : [config.operator.mailbox];
  const { seq, id, problem } = verdict.firstBad;
  const idempotencyKey = `${CHAIN_BROKEN_KIND}:${day}:${seq}`;
  const [row] = await db
    .insert(outboundMessages)
    .values({
      kind: CHAIN_BROKEN_KIND,
      to,
      cc: [],
      subject: `${config.operator.shortName} audit log verification FAILED at event ${seq}`,
      text: [
        `The nightly verification of the ${config.operator.shortName} audit log failed (UAP-4.4).`,
        "",
        `First bad event: ${seq}${id ? ` (${id})` : ""}`,
        `Problem: ${problem}`,
        `Events verified before it: ${verdict.events}`,
        verdict.checkpoint ? `Checked against the checkpoint of event ${verdict.checkpoint.seq}${verdict.checkpoint.at ? `, recorded ${verdict.checkpoint.at.toISOString()}` : ""}.` : "No checkpoint was kept yet.",
        "",
        "The record may have been tampered with. Do not change the database; run `portal audit verify` to confirm,",
        "compare with the checkpoint emails, and follow the security incident procedure.",
      ].join("\n"),
      idempotencyKey,
    })
    .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
    .returning({ id: outboundMessages.id });
  if (!row) return false;
  await recordAudit(db, actor, clock, { action: "audit.verification_failed", detail: { seq, id, problem, eventsVerified: verdict.events, messageId: row.id, to } });
  return true;
}
