import { and, eq } from "drizzle-orm";
import { LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackBot, type SlackBot } from "@/bots/slack/app";
import { tables } from "@/lib/db";
import type { SlackSettings } from "@/lib/slack/settings";
import { startFakeSlack, type FakeSlack } from "@/tests/support/fake-slack";
import { BASE_URL, createRequestWorld, newUserInput, submitAs, type RequestWorld } from "../requests/fixtures";

/**
 * Faults (issue 11): Slack (its local fake) answering 429, 500 and slowly while the bot posts
 * a new request's queue message. The message must reach the channel exactly once: a rate limit
 * is waited out (Retry-After) and retried, a server error gives the claim back for the next run,
 * and a slow answer is waited for, not posted again.
 *
 * Not covered because the bot does not do it yet (see the README's Reliability section):
 * backoff and a dead-letter state for posts that keep failing, and a post that times out after
 * Slack accepted it (Slack's API has no idempotency key).
 */

const TOKEN = "xoxb-fault-token";
let world: RequestWorld;
let slack: FakeSlack;
let bot: SlackBot;

beforeAll(async () => {
  world = await createRequestWorld();
  slack = await startFakeSlack({ botToken: TOKEN });
  const settings: SlackSettings = { botToken: TOKEN, signingSecret: "fault-secret-0123456789abcdef", channelId: "C0QUEUE", appToken: null, apiUrl: slack.apiUrl, port: 0 };
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

const posted = () => slack.callsTo("chat.postMessage").filter((call) => call.answer.ok === true);

async function claimHeld(requestId: string): Promise<boolean> {
  const rows = await world.db.select().from(tables.jobNotices).where(and(eq(tables.jobNotices.kind, "slack_post"), eq(tables.jobNotices.subjectId, requestId)));
  return rows.length > 0;
}

describe("Slack answering 429, 500 and slowly", () => {
  it("a rate limit (429, Retry-After) is waited out and the queue message is posted once", async () => {
    slack.failNext("chat.postMessage", 429);
    await submitAs(world, newUserInput());
    await bot.context.sync.runOnce();
    expect(slack.callsTo("chat.postMessage").map((call) => call.answer.ok)).toEqual([false, true]);
    expect(posted()).toHaveLength(1);
    await bot.context.sync.runOnce();
    expect(posted()).toHaveLength(1);
  }, 30_000);

  it("a server error (500) leaves the message for the next run, which posts it once", async () => {
    slack.failNext("chat.postMessage", 500);
    const { requestId } = await submitAs(world, newUserInput());
    await bot.context.sync.runOnce();
    // The failed post gave its claim back (or the client retried it at once): never two posts.
    expect(posted().length).toBeLessThanOrEqual(1);
    if (posted().length === 0) expect(await claimHeld(requestId)).toBe(false);
    await bot.context.sync.runOnce();
    await bot.context.sync.runOnce();
    expect(posted()).toHaveLength(1);
    expect(await claimHeld(requestId)).toBe(true);
  }, 30_000);

  it("a slow answer is waited for, and the message is not posted again", async () => {
    slack.setDelay("chat.postMessage", 1_500);
    await submitAs(world, newUserInput());
    await bot.context.sync.runOnce();
    expect(posted()).toHaveLength(1);
    slack.setDelay("chat.postMessage", 0);
    await bot.context.sync.runOnce();
    expect(posted()).toHaveLength(1);
  }, 30_000);
});
