import type { webApi } from "@slack/bolt";
import { and, asc, eq, gt, gte, isNotNull, like, max, min, or } from "drizzle-orm";
import type { Clock } from "../../../lib/clock";
import type { PortalConfig } from "../../../lib/config";
import { auditEvents } from "../../../lib/db/schema/audit";
import { jobNotices } from "../../../lib/db/schema/jobs";
import type { Database } from "../../../lib/db/types";
import { SLACK_POST_KIND, SLACK_TRIED_KIND, deadLetterSlackPost } from "../../../lib/slack/dead-letter";
import { describeSlackFailure, slackDeliveryPolicy, slackRetryDelayMs, type SlackDeliveryPolicy } from "../../../lib/slack/delivery";
import { requestMessage } from "../blocks/request-message";
import { requestMessageView } from "./request-view";

/**
 * Keeps the staff channel in step with the requests, driven by the audit log — the one record
 * every channel (web, email, CLI, Slack, jobs) writes in the same transaction as its change.
 * So nothing in lib/requests has to know about Slack, a change that rolled back is never
 * posted, and whichever channel acted, the message is updated:
 *
 *   request.submitted       → a queue message is posted (once per request)
 *   request.sla_escalated   → a message is posted for "due today" and "overdue" (once per state
 *                             and due time), CC-5
 *   any other request.*     → every message posted about the request is redrawn: status,
 *                             outcome and who acted
 *
 *   slack.post_retry_requested → staff retried a dead-lettered post: it is posted (once)
 *
 * "Posted once" is a row claimed in job_notices (kind slack_post) before posting, and the
 * message's channel and ts are kept there too (kind slack_message), so two bot processes, a
 * restart or a replay never post twice. When Slack fails (429, 5xx, no answer within the
 * timeout) the run stops before that event and backs off (lib/slack/delivery.ts: exponential,
 * jittered, capped, never shorter than Retry-After); after maxAttempts the post is
 * dead-lettered (lib/slack/dead-letter.ts, audited) and the channel moves on. A post sent
 * before (slack_tried) is first looked for in the channel by its metadata, since Slack may have
 * taken a post whose answer never came.
 */

const MESSAGE_KIND = "slack_message";
/** The metadata event type on every queue message: what a retry looks for in the channel. */
export const METADATA_EVENT = "portal_request_message";
const RETRY_ACTION = "slack.post_retry_requested";

/** Thrown inside a run when a post failed and must wait: the run ends, the cursor stays. */
class PostDeferred extends Error {}
const BATCH = 100;

export interface SyncReport {
  events: number;
  posted: number;
  updated: number;
  /** Redraws that failed (best effort: the next change draws the message again). */
  failed: number;
  /** Posts given up this run (dead letters, for staff to retry). */
  dead: number;
  /** Set when a post failed and the sync is backing off: no Slack call before this time. */
  waitingUntil: Date | null;
}

export interface QueueSync {
  /** Processes every event committed so far; a call during a run waits for one more run after it. */
  runOnce(): Promise<SyncReport | null>;
  stop(): Promise<void>;
}

export type SyncLog = (level: "info" | "error", event: string, fields: Record<string, unknown>) => void;

export interface QueueSyncOptions {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  client: webApi.WebClient;
  channelId: string;
  /** On start, look back this far for requests not yet posted (default a day; 0: from now on). */
  catchUpMs?: number;
  log?: SyncLog;
  /** Retries, backoff and dead letters (lib/slack/delivery.ts); defaults when absent. */
  delivery?: Partial<SlackDeliveryPolicy>;
  /** Jitter source, for tests (default Math.random). */
  random?: () => number;
}

export interface MessageRecord {
  channel: string;
  ts: string;
  alert: string | null;
}

const alertFor: Record<string, string> = { due_today: "Due today", overdue: "Overdue" };

/** The alert line a message for this occurrence shows: none for the queue message. */
function alertForOccurrence(occurrence: string): string | null {
  if (occurrence === "queued") return null;
  const state = occurrence.split(":")[0] ?? "";
  return alertFor[state] ?? "Escalated";
}

export function createQueueSync(options: QueueSyncOptions): QueueSync {
  const { db, clock, config, baseUrl, client, channelId } = options;
  const log: SyncLog = options.log ?? (() => undefined);
  let cursor: number | null = null;
  let stopped = false;
  let running: Promise<SyncReport | null> | null = null;
  let pending: Promise<SyncReport | null> | null = null;
  const policy = slackDeliveryPolicy(options.delivery);
  const random = options.random ?? Math.random;
  /** The post that failed last, while it is being retried (in memory: a restart starts its count again). */
  let retry: { key: string; attempts: number; nextAt: Date } | null = null;

  async function startCursor(): Promise<number> {
    const catchUp = options.catchUpMs ?? 86_400_000;
    if (catchUp > 0) {
      const since = new Date(clock.now().getTime() - catchUp);
      const [first] = await db.select({ seq: min(auditEvents.seq) }).from(auditEvents).where(gte(auditEvents.occurredAt, since));
      if (first?.seq != null) return Number(first.seq) - 1;
    }
    const [head] = await db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
    return Number(head?.seq ?? 0);
  }

  /**
   * Posts a message for this occurrence unless one was claimed before. A failure gives the
   * claim back and throws PostDeferred (the run stops, the cursor stays before the event) until
   * the policy's attempts are spent; then the post is dead-lettered and the run goes on.
   */
  async function post(requestId: string, occurrence: string, alert: string | null): Promise<"posted" | "skipped" | "dead"> {
    const claimed = await db.insert(jobNotices).values({ kind: SLACK_POST_KIND, subjectId: requestId, occurrenceKey: occurrence, createdAt: clock.now() }).onConflictDoNothing().returning({ key: jobNotices.occurrenceKey });
    if (claimed.length === 0) return "skipped";
    const key = `${requestId}|${occurrence}`;
    const previous = retry?.key === key ? retry : null;
    try {
      const record = (await findPosted(requestId, occurrence)) ?? (await send(requestId, occurrence, alert));
      await db.insert(jobNotices).values({ kind: MESSAGE_KIND, subjectId: requestId, occurrenceKey: JSON.stringify(record), createdAt: clock.now() }).onConflictDoNothing();
      retry = null;
      return "posted";
    } catch (error) {
      const failure = describeSlackFailure(error);
      const attempts = (previous?.attempts ?? 0) + 1;
      if (attempts >= policy.maxAttempts) {
        // Keep the claim: nothing posts it again until staff retry the dead letter.
        await deadLetterSlackPost({ db, clock, requestId, occurrence, attempts, error: failure.error });
        retry = null;
        log("error", "slack.post_dead_lettered", { requestId, occurrence, attempts, error: failure.error });
        return "dead";
      }
      // Give the claim back so a later run tries again, after the backoff.
      await db.delete(jobNotices).where(and(eq(jobNotices.kind, SLACK_POST_KIND), eq(jobNotices.subjectId, requestId), eq(jobNotices.occurrenceKey, occurrence)));
      const waitMs = slackRetryDelayMs(attempts, policy, failure.retryAfterMs, random);
      retry = { key, attempts, nextAt: new Date(clock.now().getTime() + waitMs) };
      log("error", "slack.post_failed", { requestId, occurrence, attempts, error: failure.error, retryInMs: waitMs });
      throw new PostDeferred(failure.error);
    }
  }

  /** One chat.postMessage, marked (slack_tried first, metadata on the message) so a retry can find it. */
  async function send(requestId: string, occurrence: string, alert: string | null): Promise<MessageRecord> {
    await db.insert(jobNotices).values({ kind: SLACK_TRIED_KIND, subjectId: requestId, occurrenceKey: occurrence, createdAt: clock.now() }).onConflictDoNothing();
    const message = requestMessage(await requestMessageView(db, clock, config, baseUrl, requestId, alert));
    const answer = await client.chat.postMessage({
      channel: channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      metadata: { event_type: METADATA_EVENT, event_payload: { request_id: requestId, occurrence } },
    });
    return { channel: answer.channel ?? channelId, ts: String(answer.ts), alert };
  }

  /**
   * Slack has no idempotency key: a post whose answer timed out (or whose process stopped) may
   * still have been taken. So when this occurrence was sent before, look in the channel, from
   * a minute before that first send, for a message carrying its metadata, and keep that one.
   */
  async function findPosted(requestId: string, occurrence: string): Promise<MessageRecord | null> {
    const [tried] = await db
      .select({ at: jobNotices.createdAt })
      .from(jobNotices)
      .where(and(eq(jobNotices.kind, SLACK_TRIED_KIND), eq(jobNotices.subjectId, requestId), eq(jobNotices.occurrenceKey, occurrence)));
    if (!tried) return null;
    const oldest = ((tried.at.getTime() - 60_000) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const history = await client.conversations.history({ channel: channelId, oldest, include_all_metadata: true, limit: 200, cursor });
      for (const m of history.messages ?? []) {
        const payload = m.metadata?.event_type === METADATA_EVENT ? (m.metadata.event_payload as Record<string, unknown> | undefined) : undefined;
        if (payload?.request_id === requestId && payload.occurrence === occurrence && m.ts) {
          log("info", "slack.post_found", { requestId, occurrence, ts: m.ts });
          return { channel: channelId, ts: m.ts, alert: alertForOccurrence(occurrence) };
        }
      }
      cursor = history.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  async function redraw(requestId: string): Promise<number> {
    let updated = 0;
    for (const record of await postedMessages(db, requestId)) {
      const message = requestMessage(await requestMessageView(db, clock, config, baseUrl, requestId, record.alert));
      await client.chat.update({ channel: record.channel, ts: record.ts, text: message.text, blocks: message.blocks });
      updated += 1;
    }
    return updated;
  }

  async function run(): Promise<SyncReport | null> {
    const report: SyncReport = { events: 0, posted: 0, updated: 0, failed: 0, dead: 0, waitingUntil: null };
    if (retry && clock.now() < retry.nextAt) {
      // Backing off after a failed post: Slack is not called before the wait is over.
      report.waitingUntil = retry.nextAt;
      return report;
    }
    try {
      cursor ??= await startCursor();
      for (;;) {
        const events = await db
          .select({ seq: auditEvents.seq, action: auditEvents.action, requestId: auditEvents.requestId, detail: auditEvents.detail })
          .from(auditEvents)
          .where(and(gt(auditEvents.seq, cursor), isNotNull(auditEvents.requestId), or(like(auditEvents.action, "request.%"), eq(auditEvents.action, RETRY_ACTION))))
          .orderBy(asc(auditEvents.seq))
          .limit(BATCH);
        const dirty = new Set<string>();
        const posted = new Set<string>();
        let deferred = false;
        for (const event of events) {
          const requestId = event.requestId!;
          const occurrence =
            event.action === "request.submitted"
              ? "queued"
              : event.action === "request.sla_escalated"
                ? `${String(event.detail.state ?? "")}:${String(event.detail.dueAt ?? "")}`
                : event.action === RETRY_ACTION
                  ? String(event.detail.occurrence ?? "")
                  : null;
          if (occurrence) {
            let outcome: Awaited<ReturnType<typeof post>>;
            try {
              outcome = await post(requestId, occurrence, alertForOccurrence(occurrence));
            } catch (error) {
              if (!(error instanceof PostDeferred)) throw error;
              // Stop before this event (the cursor stays), but still redraw what came before it.
              deferred = true;
              break;
            }
            if (outcome === "posted") {
              report.posted += 1;
              posted.add(requestId);
            } else if (outcome === "dead") {
              report.dead += 1;
            }
          } else if (event.action.startsWith("request.")) {
            dirty.add(requestId);
          }
          cursor = Number(event.seq);
          report.events += 1;
        }
        for (const requestId of dirty) {
          if (posted.has(requestId)) continue;
          try {
            report.updated += await redraw(requestId);
          } catch (error) {
            // A redraw is best effort: the next change to the request draws it again.
            report.failed += 1;
            log("error", "slack.update_failed", { requestId, error: describe(error) });
          }
        }
        if (deferred) {
          report.waitingUntil = retry?.nextAt ?? null;
          return report;
        }
        if (stopped || events.length < BATCH) return report;
      }
    } catch (error) {
      // Slack or the database may be briefly unreachable: the cursor stays before the event
      // that failed, and the next run tries again.
      log("error", "slack.sync_failed", { error: describe(error) });
      return null;
    }
  }

  const start = (): Promise<SyncReport | null> => {
    running = run().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    runOnce() {
      if (stopped) return Promise.resolve(null);
      if (pending) return pending;
      if (!running) return start();
      const after = running;
      pending = after.then(() => {
        pending = null;
        return stopped ? null : start();
      });
      return pending;
    },
    async stop() {
      stopped = true;
      await pending;
      await running;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The messages posted about a request: where they are, to redraw them. */
export async function postedMessages(db: Database, requestId: string): Promise<MessageRecord[]> {
  const rows = await db.select({ key: jobNotices.occurrenceKey }).from(jobNotices).where(and(eq(jobNotices.kind, MESSAGE_KIND), eq(jobNotices.subjectId, requestId)));
  return rows.map((row) => JSON.parse(row.key) as MessageRecord);
}
