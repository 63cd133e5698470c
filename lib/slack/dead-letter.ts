import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { recordAudit, systemActor, type Actor } from "../audit";
import type { Clock } from "../clock";
import { jobNotices } from "../db/schema/jobs";
import { requests } from "../db/schema/requests";
import type { Database, Executor } from "../db/types";
import { AppError } from "../errors";
import { formatReference } from "../requests/rules";

/**
 * The queue messages' posting state, kept in job_notices rows (no table of its own):
 *
 *   slack_post  (request, occurrence)  claimed: posted, being posted, or given up — never posted again by a replay
 *   slack_tried (request, occurrence)  a post was sent at least once: before sending again, look in the
 *                                      channel for it (Slack may have taken a post whose answer timed out)
 *   slack_dead  (request, occurrence)  given up after the policy's attempts: a dead letter, until staff retry it
 *
 * An occurrence is "queued" (the request's queue message) or "<sla state>:<due at>" (an SLA alert).
 */
export const SLACK_POST_KIND = "slack_post";
export const SLACK_TRIED_KIND = "slack_tried";
export const SLACK_DEAD_KIND = "slack_dead";

/** Who the audit log names for what the Slack sync decides on its own. */
export const SLACK_SYNC_ACTOR: Actor = systemActor("slack", "Slack sync");

export interface SlackDeadLetter {
  requestId: string;
  /** REQ-000123 */
  reference: string;
  title: string;
  occurrence: string;
  since: Date;
}

/**
 * Gives a post up (in one transaction with its audit event): the claim stays held so nothing
 * posts it again until staff retry it. Returns false when it was already dead-lettered.
 */
export async function deadLetterSlackPost(options: { db: Database; clock: Clock; requestId: string; occurrence: string; attempts: number; error: string }): Promise<boolean> {
  const { db, clock, requestId, occurrence } = options;
  return db.transaction(async (tx) => {
    const rows = await tx.insert(jobNotices).values({ kind: SLACK_DEAD_KIND, subjectId: requestId, occurrenceKey: occurrence, createdAt: clock.now() }).onConflictDoNothing().returning({ key: jobNotices.occurrenceKey });
    if (rows.length === 0) return false;
    await recordAudit(tx, SLACK_SYNC_ACTOR, clock, {
      action: "slack.post_dead_lettered",
      requestId,
      detail: { occurrence, attempts: options.attempts, error: options.error.slice(0, 1_000) },
    });
    return true;
  });
}

/** The posts given up, newest first (at most 500): for staff, on Back office → Slack messages. */
export async function slackDeadLetters(db: Executor, requestIds?: readonly string[]): Promise<SlackDeadLetter[]> {
  if (requestIds && requestIds.length === 0) return [];
  const where = requestIds ? and(eq(jobNotices.kind, SLACK_DEAD_KIND), inArray(jobNotices.subjectId, [...requestIds])) : eq(jobNotices.kind, SLACK_DEAD_KIND);
  const rows = await db
    .select({ requestId: jobNotices.subjectId, occurrence: jobNotices.occurrenceKey, since: jobNotices.createdAt, number: requests.number, title: requests.title })
    .from(jobNotices)
    .innerJoin(requests, eq(requests.id, jobNotices.subjectId))
    .where(where)
    .orderBy(desc(jobNotices.createdAt))
    .limit(500);
  return rows.map((row) => ({ requestId: row.requestId, reference: formatReference(row.number), title: row.title, occurrence: row.occurrence, since: row.since }));
}

/** The post in staff's words: the queue message, or an SLA alert. */
export function describeOccurrence(occurrence: string): string {
  if (occurrence === "queued") return "Queue message";
  const state = occurrence.split(":")[0];
  return state === "due_today" ? "Alert: due today" : state === "overdue" ? "Alert: overdue" : "SLA alert";
}

export const retrySlackPostSchema = z.object({ requestId: z.uuid(), occurrence: z.string().trim().min(1).max(200) });

/**
 * Staff put a dead-lettered post back (audited in the same transaction): the dead letter and
 * the claim are removed, and the Slack sync, which follows the audit log, sees
 * slack.post_retry_requested and posts it — after first looking in the channel for a copy
 * Slack took late, so a retry never makes a second message.
 *
 * @throws AppError `validation` for bad input; `conflict` when that post is not dead-lettered
 * (someone retried it first).
 */
export async function retrySlackPost(options: { tx: Executor; actor: Actor; clock: Clock; input: unknown }): Promise<void> {
  const parsed = retrySlackPostSchema.safeParse(options.input);
  if (!parsed.success) throw new AppError("validation", `bad Slack retry input: ${parsed.error.message}`, "That Slack message could not be found: reload the page and try again.");
  const { requestId, occurrence } = parsed.data;
  const { tx, actor, clock } = options;
  const removed = await tx
    .delete(jobNotices)
    .where(and(eq(jobNotices.kind, SLACK_DEAD_KIND), eq(jobNotices.subjectId, requestId), eq(jobNotices.occurrenceKey, occurrence)))
    .returning({ since: jobNotices.createdAt });
  if (removed.length === 0) {
    throw new AppError("conflict", `Slack post ${requestId}/${occurrence} is not dead-lettered`, "That Slack message is no longer waiting for a retry: someone may have retried it already.");
  }
  await tx.delete(jobNotices).where(and(eq(jobNotices.kind, SLACK_POST_KIND), eq(jobNotices.subjectId, requestId), eq(jobNotices.occurrenceKey, occurrence)));
  await recordAudit(tx, actor, clock, { action: "slack.post_retry_requested", requestId, detail: { occurrence, deadSince: removed[0]!.since.toISOString() } });
}
