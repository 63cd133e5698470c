import type { webApi } from "@slack/bolt";
import { and, asc, eq, gt, gte, isNotNull, like, max, min } from "drizzle-orm";
import type { Clock } from "../../../lib/clock";
import type { PortalConfig } from "../../../lib/config";
import { auditEvents } from "../../../lib/db/schema/audit";
import { jobNotices } from "../../../lib/db/schema/jobs";
import type { Database } from "../../../lib/db/types";
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
 * "Posted once" is a row claimed in job_notices (kind slack_post) before posting, and the
 * message's channel and ts are kept there too (kind slack_message), so two bot processes, a
 * restart or a replay never post twice.
 */

const POST_KIND = "slack_post";
const MESSAGE_KIND = "slack_message";
const BATCH = 100;

export interface SyncReport {
  events: number;
  posted: number;
  updated: number;
  failed: number;
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
}

export interface MessageRecord {
  channel: string;
  ts: string;
  alert: string | null;
}

const alertFor: Record<string, string> = { due_today: "Due today", overdue: "Overdue" };

export function createQueueSync(options: QueueSyncOptions): QueueSync {
  const { db, clock, config, baseUrl, client, channelId } = options;
  const log: SyncLog = options.log ?? (() => undefined);
  let cursor: number | null = null;
  let stopped = false;
  let running: Promise<SyncReport | null> | null = null;
  let pending: Promise<SyncReport | null> | null = null;

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

  /** Posts a message for this occurrence unless one was claimed before. */
  async function post(requestId: string, occurrence: string, alert: string | null): Promise<boolean> {
    const claimed = await db.insert(jobNotices).values({ kind: POST_KIND, subjectId: requestId, occurrenceKey: occurrence, createdAt: clock.now() }).onConflictDoNothing().returning({ key: jobNotices.occurrenceKey });
    if (claimed.length === 0) return false;
    try {
      const message = requestMessage(await requestMessageView(db, clock, config, baseUrl, requestId, alert));
      const answer = await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks, unfurl_links: false });
      const record: MessageRecord = { channel: answer.channel ?? channelId, ts: String(answer.ts), alert };
      await db.insert(jobNotices).values({ kind: MESSAGE_KIND, subjectId: requestId, occurrenceKey: JSON.stringify(record), createdAt: clock.now() }).onConflictDoNothing();
      return true;
    } catch (error) {
      // Give the claim back so the next run tries again.
      await db.delete(jobNotices).where(and(eq(jobNotices.kind, POST_KIND), eq(jobNotices.subjectId, requestId), eq(jobNotices.occurrenceKey, occurrence)));
      throw error;
    }
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
    const report: SyncReport = { events: 0, posted: 0, updated: 0, failed: 0 };
    try {
      cursor ??= await startCursor();
      for (;;) {
        const events = await db
          .select({ seq: auditEvents.seq, action: auditEvents.action, requestId: auditEvents.requestId, detail: auditEvents.detail })
          .from(auditEvents)
          .where(and(gt(auditEvents.seq, cursor), isNotNull(auditEvents.requestId), like(auditEvents.action, "request.%")))
          .orderBy(asc(auditEvents.seq))
          .limit(BATCH);
        const dirty = new Set<string>();
        const posted = new Set<string>();
        for (const event of events) {
          const requestId = event.requestId!;
          if (event.action === "request.submitted") {
            if (await post(requestId, "queued", null)) {
              report.posted += 1;
              posted.add(requestId);
            }
          } else if (event.action === "request.sla_escalated") {
            const state = String(event.detail.state ?? "");
            if (await post(requestId, `${state}:${String(event.detail.dueAt ?? "")}`, alertFor[state] ?? "Escalated")) {
              report.posted += 1;
              posted.add(requestId);
            }
          } else {
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
