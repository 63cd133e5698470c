import { and, eq } from "drizzle-orm";
import { LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackBot, type SlackBot } from "@/bots/slack/app";
import { METADATA_EVENT, postedMessages } from "@/bots/slack/sync/queue-messages";
import { tables } from "@/lib/db";
import { retrySlackPost, slackDeadLetters } from "@/lib/slack/dead-letter";
import type { SlackDeliveryPolicy } from "@/lib/slack/delivery";
import type { SlackSettings } from "@/lib/slack/settings";
import { startFakeSlack, type FakeSlack } from "@/tests/support/fake-slack";
import { BASE_URL, SAM, actorFor, appError, bringToInProgress, createRequestWorld, newUserInput, requestAudit, submitAs, type RequestWorld } from "../requests/fixtures";

/**
 * Faults (issue 11): Slack (its local fake) answering 429, 500 and too slowly while the bot
 * posts a new request's queue message. The sync's own policy (lib/slack/delivery.ts; the SDK's
 * retries are off) backs off — at least as long as a 429's Retry-After — retries, and after
 * maxAttempts dead-letters the post for staff, who can retry it. A post whose answer timed out
 * after Slack took it is found in the channel by its metadata, never posted twice.
 *
 * The world's clock is fixed: the backoff is checked by advancing it, not by waiting.
 */

const TOKEN = "xoxb-fault-token";
const DELIVERY: SlackDeliveryPolicy = { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 8_000, timeoutMs: 400 };
let world: RequestWorld;
let slack: FakeSlack;
let bot: SlackBot;

beforeAll(async () => {
  world = await createRequestWorld();
  slack = await startFakeSlack({ botToken: TOKEN, clock: world.clock });
  const settings: SlackSettings = { botToken: TOKEN, signingSecret: "fault-secret-0123456789abcdef", channelId: "C0QUEUE", appToken: null, apiUrl: slack.apiUrl, port: 0, delivery: DELIVERY };
  bot = await createSlackBot({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, settings, logLevel: LogLevel.ERROR, catchUpMs: 0, syncIntervalMs: 3_600_000, log: () => undefined });
  await bot.start();
  await bot.context.sync.runOnce();
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await world?.dispose();
});

beforeEach(() => slack.reset());

const sync = () => bot.context.sync.runOnce();
const postsFor = (requestId: string) => slack.callsTo("chat.postMessage").filter((call) => (call.args.metadata as { event_payload?: { request_id?: string } } | undefined)?.event_payload?.request_id === requestId);
const inChannel = (requestId: string) => slack.messages.filter((m) => (m.metadata as { event_payload?: { request_id?: string } } | undefined)?.event_payload?.request_id === requestId);

async function claimHeld(requestId: string): Promise<boolean> {
  const rows = await world.db.select().from(tables.jobNotices).where(and(eq(tables.jobNotices.kind, "slack_post"), eq(tables.jobNotices.subjectId, requestId)));
  return rows.length > 0;
}

describe("Slack answering 429, 500 and too slowly", () => {
  it("a rate limit (429) is waited out for at least its Retry-After, then the message is posted once", async () => {
    slack.failNext("chat.postMessage", 429);
    const { requestId } = await submitAs(world, newUserInput());
    const first = await sync();
    expect(first?.posted).toBe(0);
    // The fake says Retry-After: 1 — the wait is at least that, whatever the jitter.
    expect(first!.waitingUntil!.getTime() - world.clock.now().getTime()).toBeGreaterThanOrEqual(1_000);
    expect(await claimHeld(requestId)).toBe(false);

    // Before the wait is over, Slack is not called at all.
    world.clock.advance(500);
    expect((await sync())?.posted).toBe(0);
    expect(postsFor(requestId)).toHaveLength(1);

    world.clock.advance(DELIVERY.maxDelayMs);
    expect((await sync())?.posted).toBe(1);
    expect(postsFor(requestId).map((call) => call.answer.ok)).toEqual([false, true]);
    expect(inChannel(requestId)).toHaveLength(1);
    await sync();
    expect(inChannel(requestId)).toHaveLength(1);
  }, 30_000);

  it("a server error (500) backs off, then the next attempt posts the message once", async () => {
    slack.failNext("chat.postMessage", 500);
    const { requestId } = await submitAs(world, newUserInput());
    const first = await sync();
    expect(first?.posted).toBe(0);
    expect(first!.waitingUntil!.getTime() - world.clock.now().getTime()).toBeGreaterThanOrEqual(DELIVERY.baseDelayMs / 2);
    expect(await claimHeld(requestId)).toBe(false);
    world.clock.advance(DELIVERY.maxDelayMs);
    expect((await sync())?.posted).toBe(1);
    expect(inChannel(requestId)).toHaveLength(1);
    expect(await claimHeld(requestId)).toBe(true);
  }, 30_000);

  it("a post that timed out after Slack took it is found in the channel by its metadata, not posted again", async () => {
    // The fake posts at once but answers after 2 s: the client gives up after 400 ms.
    slack.setDelay("chat.postMessage", 2_000);
    const { requestId } = await submitAs(world, newUserInput());
    const first = await sync();
    expect(first?.posted).toBe(0);
    expect(first?.waitingUntil).not.toBeNull();
    expect(inChannel(requestId)).toHaveLength(1);

    slack.setDelay("chat.postMessage", 0);
    world.clock.advance(DELIVERY.maxDelayMs);
    expect((await sync())?.posted).toBe(1);
    expect(slack.callsTo("conversations.history").length).toBeGreaterThan(0);
    expect(postsFor(requestId)).toHaveLength(1);
    expect(inChannel(requestId)).toHaveLength(1);
    // The record kept is Slack's message, so later changes redraw that one.
    const [record] = await postedMessages(world.db, requestId);
    expect(record?.ts).toBe(inChannel(requestId)[0]!.ts);
    expect((inChannel(requestId)[0]!.metadata as { event_type: string }).event_type).toBe(METADATA_EVENT);
  }, 30_000);

  it("a post that keeps failing is dead-lettered (audited), the channel moves on, and a staff retry posts it once", async () => {
    slack.failNext("chat.postMessage", 500, DELIVERY.maxAttempts);
    const { requestId } = await submitAs(world, newUserInput());
    let dead = 0;
    for (let attempt = 1; attempt <= DELIVERY.maxAttempts; attempt += 1) {
      const report = await sync();
      dead += report?.dead ?? 0;
      world.clock.advance(DELIVERY.maxDelayMs);
    }
    expect(dead).toBe(1);
    expect(postsFor(requestId)).toHaveLength(DELIVERY.maxAttempts);
    expect(inChannel(requestId)).toHaveLength(0);
    expect((await slackDeadLetters(world.db)).map((d) => [d.requestId, d.occurrence])).toContainEqual([requestId, "queued"]);
    const deadEvent = (await requestAudit(world.db, requestId)).find((e) => e.action === "slack.post_dead_lettered");
    expect(deadEvent?.detail).toMatchObject({ occurrence: "queued", attempts: DELIVERY.maxAttempts, error: "HTTP 500" });

    // Not blocking the channel: the next request is posted, and the dead one is not retried on its own.
    const next = await submitAs(world, newUserInput());
    await sync();
    expect(inChannel(next.requestId)).toHaveLength(1);
    expect(postsFor(requestId)).toHaveLength(DELIVERY.maxAttempts);

    const actor = await actorFor(world.db, SAM);
    await world.db.transaction((tx) => retrySlackPost({ tx, actor, clock: world.clock, input: { requestId, occurrence: "queued" } }));
    expect(await slackDeadLetters(world.db, [requestId])).toEqual([]);
    expect((await sync())?.posted).toBe(1);
    await sync();
    expect(inChannel(requestId)).toHaveLength(1);
    expect((await requestAudit(world.db, requestId)).map((e) => e.action)).toContain("slack.post_retry_requested");

    // A second retry of the same dead letter is refused, nothing changed.
    const refused = await appError(world.db.transaction((tx) => retrySlackPost({ tx, actor, clock: world.clock, input: { requestId, occurrence: "queued" } })));
    expect(refused.code).toBe("conflict");
    const bad = await appError(world.db.transaction((tx) => retrySlackPost({ tx, actor, clock: world.clock, input: { requestId: "not-a-uuid", occurrence: "" } })));
    expect(bad.code).toBe("validation");
    expect(inChannel(requestId)).toHaveLength(1);
  }, 60_000);

  it("a message Slack took without answering, then dead-lettered, is found on the staff retry — not posted twice", async () => {
    slack.setDelay("chat.postMessage", 2_000);
    const { requestId } = await submitAs(world, newUserInput());
    await sync();
    expect(inChannel(requestId)).toHaveLength(1);
    slack.setDelay("chat.postMessage", 0);
    // Every later attempt fails at the look-up in the channel, so the post is given up.
    slack.failNext("conversations.history", 500, DELIVERY.maxAttempts - 1);
    let dead = 0;
    for (let attempt = 2; attempt <= DELIVERY.maxAttempts; attempt += 1) {
      world.clock.advance(DELIVERY.maxDelayMs);
      dead += (await sync())?.dead ?? 0;
    }
    expect(dead).toBe(1);
    expect(postsFor(requestId)).toHaveLength(1);

    const actor = await actorFor(world.db, SAM);
    await world.db.transaction((tx) => retrySlackPost({ tx, actor, clock: world.clock, input: { requestId, occurrence: "queued" } }));
    expect((await sync())?.posted).toBe(1);
    expect(postsFor(requestId)).toHaveLength(1);
    expect(inChannel(requestId)).toHaveLength(1);
    expect((await postedMessages(world.db, requestId))[0]?.ts).toBe(inChannel(requestId)[0]!.ts);
  }, 60_000);

  it("changes before a failing post are still redrawn; the failing one waits", async () => {
    const { requestId: earlier } = await submitAs(world, newUserInput());
    await sync();
    await bringToInProgress(world, earlier);
    slack.failNext("chat.postMessage", 500);
    const { requestId: later } = await submitAs(world, newUserInput());
    const report = await sync();
    expect(report?.waitingUntil).not.toBeNull();
    expect(report?.updated).toBeGreaterThan(0);
    expect(slack.callsTo("chat.update").some((call) => call.args.ts === inChannel(earlier)[0]!.ts)).toBe(true);
    world.clock.advance(DELIVERY.maxDelayMs);
    await sync();
    expect(inChannel(later)).toHaveLength(1);
  }, 30_000);
});
