import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LogLevel } from "@slack/bolt";
import { createSlackBot, SLACK_EVENTS_PATH, type SlackBot } from "@/bots/slack/app";
import { ACTION_IDS } from "@/bots/slack/blocks/request-message";
import { REASON_BLOCK, REASON_INPUT, REJECT_VIEW_ID } from "@/bots/slack/blocks/reject-modal";
import { tables } from "@/lib/db";
import { approveRequest } from "@/lib/requests/approve-request";
import type { SlackSettings } from "@/lib/slack/settings";
import { interactivityBody, signSlackRequest, startFakeSlack, type FakeSlack, type FakeSlackCall } from "@/tests/support/fake-slack";
import {
  ALEX,
  BASE_URL,
  bringToInProgress,
  CHRIS,
  createProvider,
  createRequestWorld,
  footprint,
  newUserInput,
  PRIYA,
  requestAudit,
  requestRow,
  SAM,
  staffOptions,
  submitAs,
  type RequestWorld,
} from "../requests/fixtures";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TOKEN = "xoxb-test-token";
const CHANNEL = "C0QUEUE";
const users = {
  U_SAM: { email: SAM },
  U_ALEX: { email: ALEX.toUpperCase() }, // Slack's case is not the portal's
  U_CHRIS: { email: CHRIS }, // operator staff, Auditor: requests:read only
  U_PRIYA: { email: PRIYA }, // a provider's Lead correspondent
  U_NOBODY: { email: "someone@elsewhere.example.org" },
};

let world: RequestWorld;
let slack: FakeSlack;
let bot: SlackBot;
let endpoint: string;

beforeAll(async () => {
  world = await createRequestWorld();
  slack = await startFakeSlack({ users, botToken: TOKEN });
  const settings: SlackSettings = { botToken: TOKEN, signingSecret: SECRET, channelId: CHANNEL, appToken: null, apiUrl: slack.apiUrl, port: 0 };
  bot = await createSlackBot({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL, settings, logLevel: LogLevel.ERROR, catchUpMs: 0, syncIntervalMs: 3_600_000, log: () => undefined });
  const { port } = await bot.start();
  endpoint = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await world?.dispose();
});

afterEach(() => slack.reset());

// ---------------------------------------------------------------------------------------------
// Helpers: Slack's side of the conversation

async function send(body: string, contentType: string, headers: Record<string, string> = signSlackRequest(SECRET, body)): Promise<Response> {
  return fetch(endpoint, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
}

function sendInteraction(payload: Record<string, unknown>, headers?: Record<string, string>): Promise<Response> {
  const body = interactivityBody(payload);
  return send(body, "application/x-www-form-urlencoded", headers ?? signSlackRequest(SECRET, body));
}

function click(userId: string, actionId: string, value: string, messageTs = "1700000001.000100"): Promise<Response> {
  return sendInteraction({
    type: "block_actions",
    team: { id: "T0COUNCIL", domain: "council" },
    user: { id: userId, username: userId.toLowerCase(), team_id: "T0COUNCIL" },
    api_app_id: "A0PORTAL",
    token: "legacy-verification-token",
    trigger_id: `trigger-${userId}-${Date.now()}`,
    container: { type: "message", message_ts: messageTs, channel_id: CHANNEL, is_ephemeral: false },
    channel: { id: CHANNEL, name: "provider-requests" },
    message: { type: "message", ts: messageTs, text: "", blocks: [] },
    response_url: `${slack.apiUrl}response`,
    actions: [{ type: "button", action_id: actionId, block_id: "request_actions", value, action_ts: String(Date.now() / 1000) }],
  });
}

function submitReason(userId: string, privateMetadata: string, reason: string): Promise<Response> {
  return sendInteraction({
    type: "view_submission",
    team: { id: "T0COUNCIL", domain: "council" },
    user: { id: userId, username: userId.toLowerCase(), team_id: "T0COUNCIL" },
    api_app_id: "A0PORTAL",
    token: "legacy-verification-token",
    trigger_id: `trigger-${userId}`,
    view: {
      id: "V0MODAL",
      type: "modal",
      callback_id: REJECT_VIEW_ID,
      private_metadata: privateMetadata,
      hash: "1700000000.abcdef",
      state: { values: { [REASON_BLOCK]: { [REASON_INPUT]: { type: "plain_text_input", value: reason } } } },
    },
  });
}

async function waitFor<T>(find: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; calls: ${slack.calls.map((c) => c.method).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ephemeralsTo = (userId: string) => slack.callsTo("chat.postEphemeral").filter((call) => call.args.user === userId);
const ephemeralTo = (userId: string) => waitFor(() => ephemeralsTo(userId)[0], `an ephemeral reply to ${userId}`);

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string; text?: unknown }[]; text?: { text: string }; fields?: { text: string }[] };
const blocksOf = (call: FakeSlackCall) => call.args.blocks as Block[];
const textOf = (call: FakeSlackCall) => JSON.stringify(call.args.blocks) + String(call.args.text);
const buttons = (call: FakeSlackCall) => blocksOf(call).find((b) => b.block_id === "request_actions")?.elements ?? [];
const buttonValue = (call: FakeSlackCall, actionId: string) => buttons(call).find((e) => e.action_id === actionId)?.value ?? "";

/** Submits a new-user request as Priya and lets the bot post it; returns the request and its queue message. */
async function queuedRequest() {
  const submitted = await submitAs(world, newUserInput());
  await bot.context.sync.runOnce();
  const posted = slack.callsTo("chat.postMessage").find((call) => textOf(call).includes(submitted.reference));
  if (!posted) throw new Error(`no queue message for ${submitted.reference}`);
  return { submitted, posted, ts: String(posted.answer.ts) };
}

async function refusalsFor(requestId: string) {
  return world.db
    .select()
    .from(tables.auditEvents)
    .where(and(eq(tables.auditEvents.requestId, requestId), eq(tables.auditEvents.action, "slack.action_refused")));
}

// ---------------------------------------------------------------------------------------------

describe("Slack requests: signed requests only", () => {
  it("refuses a request with a bad signature, and changes nothing", async () => {
    const { submitted, posted } = await queuedRequest();
    const before = await footprint(world.db);
    const body = interactivityBody({ type: "block_actions", user: { id: "U_SAM" }, actions: [{ action_id: ACTION_IDS.approve, value: buttonValue(posted, ACTION_IDS.approve) }] });
    const forged = signSlackRequest("not-the-signing-secret", body);
    const response = await send(body, "application/x-www-form-urlencoded", forged);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await footprint(world.db)).toEqual(before);
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("received");
    expect(slack.callsTo("users.info")).toHaveLength(0);
  });

  it("refuses a correctly signed request whose timestamp is older than 5 minutes (replay)", async () => {
    const { submitted, posted } = await queuedRequest();
    const before = await footprint(world.db);
    const body = interactivityBody({ type: "block_actions", user: { id: "U_SAM" }, actions: [{ action_id: ACTION_IDS.approve, value: buttonValue(posted, ACTION_IDS.approve) }] });
    const stale = signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
    const response = await send(body, "application/x-www-form-urlencoded", stale);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await footprint(world.db)).toEqual(before);
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("received");
  });
});

describe("Slack requests: queue messages", () => {
  it("posts a Block Kit message to the channel when a request enters the queue, with the buttons", async () => {
    const { submitted, posted } = await queuedRequest();
    expect(posted.args.channel).toBe(CHANNEL);
    expect(posted.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const text = textOf(posted);
    for (const words of [submitted.reference, "New user", "Meadowbank", "Care coordinator", "Due"]) expect(text).toContain(words);
    expect(buttons(posted).map((b) => b.action_id)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.assignToMe, ACTION_IDS.openInPortal]);
    // Once: a second run posts nothing more.
    await bot.context.sync.runOnce();
    expect(slack.callsTo("chat.postMessage").filter((call) => textOf(call).includes(submitted.reference))).toHaveLength(1);
  });
});

describe("Slack requests: staff act inline (UAP-2.4, UAP-4.1, UAP-4.4)", () => {
  it("UAP-4.4 a staff member approves inline: applied through the use cases, audited with channel slack, and the message shows who acted", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    const response = await click("U_SAM", ACTION_IDS.approve, buttonValue(posted, ACTION_IDS.approve), ts);
    expect(response.status).toBe(200);
    const replied = await ephemeralTo("U_SAM");
    expect(replied.args.text).toContain(`${submitted.reference} approved`);

    const row = await requestRow(world.db, submitted.requestId);
    expect(row.status).toBe("resolved");
    expect(row.subjectAccountId).not.toBeNull();
    const events = await requestAudit(world.db, submitted.requestId);
    const staffEvents = events.filter((e) => e.action !== "request.submitted");
    expect(staffEvents.map((e) => e.action)).toEqual(expect.arrayContaining(["request.prioritised", "request.assigned", "request.started", "request.resolved"]));
    for (const event of staffEvents) {
      expect(event.channel).toBe("slack");
      expect(event.actorLabel).toBe("Sam Patel");
    }

    const update = await waitFor(() => slack.callsTo("chat.update").find((call) => call.args.ts === ts), "the message update");
    expect(update.args.channel).toBe(CHANNEL);
    expect(textOf(update)).toContain("Approved by Sam Patel (slack)");
    expect(buttons(update).map((b) => b.action_id)).toEqual([ACTION_IDS.openInPortal]);
  });

  it("UAP-4.4 a staff member rejects inline: the modal asks for the reason, which is required, and the rejection is audited with channel slack", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    await click("U_ALEX", ACTION_IDS.reject, buttonValue(posted, ACTION_IDS.reject), ts);
    const opened = await waitFor(() => slack.callsTo("views.open")[0], "the reject modal");
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe(REJECT_VIEW_ID);
    expect(view.blocks.map((b) => b.block_id)).toContain(REASON_BLOCK);
    expect(String(opened.args.trigger_id)).toMatch(/^trigger-U_ALEX/);
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("received");

    const blank = await submitReason("U_ALEX", view.private_metadata, "   ");
    expect(blank.status).toBe(200);
    const errors = (await blank.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe("errors");
    expect(errors.errors[REASON_BLOCK]).toBeTruthy();
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("received");

    const done = await submitReason("U_ALEX", view.private_metadata, "The person already has an account under another name");
    expect(done.status).toBe(200);
    const replied = await ephemeralTo("U_ALEX");
    expect(replied.args.text).toContain("rejected");
    const row = await requestRow(world.db, submitted.requestId);
    expect(row.status).toBe("rejected");
    expect(row.resolution).toBe("The person already has an account under another name");
    const rejected = (await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "request.rejected");
    expect(rejected).toMatchObject({ channel: "slack", actorLabel: "Alex Morgan" });
    const update = await waitFor(() => slack.callsTo("chat.update").find((call) => call.args.ts === ts), "the message update");
    expect(textOf(update)).toContain("Rejected by Alex Morgan (slack)");
  });

  it("assigns to the person clicking Assign to me (prioritised on the way), audited with channel slack", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    await click("U_SAM", ACTION_IDS.assignToMe, buttonValue(posted, ACTION_IDS.assignToMe), ts);
    expect((await ephemeralTo("U_SAM")).args.text).toContain("assigned to you");
    const row = await requestRow(world.db, submitted.requestId);
    expect(row.status).toBe("assigned");
    const assigned = (await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "request.assigned");
    expect(assigned).toMatchObject({ channel: "slack", actorLabel: "Sam Patel" });
    const update = await waitFor(() => slack.callsTo("chat.update").find((call) => call.args.ts === ts), "the message update");
    expect(textOf(update)).toContain("Assigned by Sam Patel (slack)");
  });

  it("two staff clicking Approve at once, and a double click, apply it once; the others are told it was already actioned", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    const value = buttonValue(posted, ACTION_IDS.approve);
    const accountsBefore = Number((await footprint(world.db)).accounts);
    const responses = await Promise.all([click("U_SAM", ACTION_IDS.approve, value, ts), click("U_ALEX", ACTION_IDS.approve, value, ts), click("U_SAM", ACTION_IDS.approve, value, ts)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const replies = await waitFor(() => {
      const all = [...ephemeralsTo("U_SAM"), ...ephemeralsTo("U_ALEX")];
      return all.length >= 3 ? all : null;
    }, "three replies");
    const texts = replies.map((r) => String(r.args.text));
    expect(texts.filter((t) => t.includes("approved:"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("already been actioned"))).toHaveLength(2);

    const events = await requestAudit(world.db, submitted.requestId);
    expect(events.filter((e) => e.action === "request.resolved")).toHaveLength(1);
    expect(events.filter((e) => e.action === "request.prioritised")).toHaveLength(1);
    expect(Number((await footprint(world.db)).accounts)).toBe(accountsBefore + 1);
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("resolved");
  });
});

describe("Slack requests: who may click (UAP-2.4, UAP-4.1)", () => {
  it.each([
    { who: "a provider's Lead correspondent", user: "U_PRIYA", says: "Only operator staff", actor: "Priya Shah" },
    { who: "a Slack user with no portal account", user: "U_NOBODY", says: "no active operator staff account", actor: "Slack user U_NOBODY" },
    { who: "a staff member without requests:edit", user: "U_CHRIS", says: "security role", actor: "Chris Evans" },
  ])("UAP-4.1 refuses $who with an ephemeral reply, changes nothing and audits the attempt", async ({ user, says, actor }) => {
    const { submitted, posted, ts } = await queuedRequest();
    const before = (await requestRow(world.db, submitted.requestId)).version;
    await click(user, ACTION_IDS.approve, buttonValue(posted, ACTION_IDS.approve), ts);
    expect(String((await ephemeralTo(user)).args.text)).toContain(says);
    expect((await requestRow(world.db, submitted.requestId)).version).toBe(before);
    const refusals = await refusalsFor(submitted.requestId);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ channel: "slack", actorLabel: actor, organisationId: world.meadowbankId });
    expect(refusals[0]!.detail).toMatchObject({ slackUserId: user, attempted: "approve" });
  });

  it("UAP-4.1 refuses the reject modal to someone who may not act, before it opens", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    await click("U_PRIYA", ACTION_IDS.reject, buttonValue(posted, ACTION_IDS.reject), ts);
    await ephemeralTo("U_PRIYA");
    expect(slack.callsTo("views.open")).toHaveLength(0);
    expect(await refusalsFor(submitted.requestId)).toHaveLength(1);
  });
});

describe("Slack requests: what needs the portal first", () => {
  it("UAP-A.3 a change of Lead correspondent cannot be approved from Slack until both confirmations are recorded; its message warns of them", async () => {
    const other = await createProvider(world);
    const submitted = await submitAs(world, { type: "lead_change", newLead: "new", fullName: "Nia New", email: `nia.${other.organisation.odsCode.toLowerCase()}@nhs.net`, jobTitle: "Registered Manager", outgoingLead: "suspend" }, other.lead.email);
    await bot.context.sync.runOnce();
    const posted = slack.callsTo("chat.postMessage").find((call) => textOf(call).includes(submitted.reference))!;
    expect(textOf(posted)).toContain("Confirmations missing: telephone and email (UAP-A.3)");
    const before = await footprint(world.db);
    await click("U_SAM", ACTION_IDS.approve, buttonValue(posted, ACTION_IDS.approve), String(posted.answer.ts));
    expect(String((await ephemeralTo("U_SAM")).args.text)).toMatch(/Record the telephone and email confirmations.*portal/);
    expect(await footprint(world.db)).toEqual(before);
  });
});

describe("Slack requests: one truth", () => {
  it("updates the Slack message after an approval in the portal, naming who acted and through which channel", async () => {
    const { submitted, ts } = await queuedRequest();
    await bringToInProgress(world, submitted.requestId);
    await approveRequest({ ...(await staffOptions(world, SAM, submitted.requestId)), baseUrl: BASE_URL });
    await bot.context.sync.runOnce();
    const updates = slack.callsTo("chat.update").filter((call) => call.args.ts === ts);
    expect(updates.length).toBeGreaterThan(0);
    const last = updates.at(-1)!;
    expect(textOf(last)).toContain("Approved by Sam Patel (web)");
    expect(buttons(last).map((b) => b.action_id)).toEqual([ACTION_IDS.openInPortal]);
  });

  it("a stale button (someone acted in the portal since) is refused as already actioned", async () => {
    const { submitted, posted, ts } = await queuedRequest();
    await bringToInProgress(world, submitted.requestId, ALEX);
    await click("U_SAM", ACTION_IDS.approve, buttonValue(posted, ACTION_IDS.approve), ts);
    expect(String((await ephemeralTo("U_SAM")).args.text)).toContain("already been actioned");
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("in_progress");
  });
});

describe("Slack requests: App Home", () => {
  it("shows the staff member's assigned requests and the queue's counts", async () => {
    const { submitted } = await queuedRequest();
    await bringToInProgress(world, submitted.requestId); // assigned to Sam
    const body = JSON.stringify({
      token: "legacy-verification-token",
      team_id: "T0COUNCIL",
      api_app_id: "A0PORTAL",
      type: "event_callback",
      event_id: "Ev0HOME",
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: "U_SAM", channel: "D0SAM", tab: "home", event_ts: String(Date.now() / 1000) },
    });
    const response = await send(body, "application/json");
    expect(response.status).toBe(200);
    const published = await waitFor(() => slack.callsTo("views.publish")[0], "the App Home");
    expect(published.args.user_id).toBe("U_SAM");
    const text = JSON.stringify(published.args.view);
    expect(text).toContain(submitted.reference);
    expect(text).toContain("Unassigned");
    expect(text).toContain("Overdue");
  });
});
