import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Slack's Web API, for tests: point Bolt at it with
 * clientOptions.slackApiUrl (SLACK_API_URL). It records every call and answers as Slack does
 * for the methods the bot uses (auth.test, users.info, chat.postMessage, chat.update,
 * chat.postEphemeral, views.open, views.publish, conversations.history — the messages posted
 * here, newest first, with their metadata when include_all_metadata is set); anything else
 * answers unknown_method.
 *
 *   const slack = await startFakeSlack({ users: { U1: { email: "sam@…" } } });
 *   … slack.callsTo("chat.update") …
 *   await slack.close();
 *
 * `signSlackRequest` signs an events/interactivity body the way Slack does (v0, HMAC-SHA256 of
 * "v0:<timestamp>:<body>" under the signing secret), to send it to the bot's receiver.
 */

export interface FakeSlackUser {
  email?: string;
  deleted?: boolean;
  isBot?: boolean;
  emailConfirmed?: boolean;
}

export interface FakeSlackCall {
  method: string;
  headers: IncomingHttpHeaders;
  /** The form or JSON arguments, with blocks, view and other JSON-valued fields parsed. */
  args: Record<string, unknown>;
  /** What the fake answered. */
  answer: Record<string, unknown>;
}

export interface FakeSlack {
  /** The Web API base to give Bolt, ending in "/api/". */
  apiUrl: string;
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  users: Record<string, FakeSlackUser>;
  /** The messages chat.postMessage put in channels, oldest first (what conversations.history reads). */
  messages: FakeSlackMessage[];
  /**
   * The next `times` calls to `method` fail: 429 (ratelimited, Retry-After: 1) or 500 (an
   * HTML error page, as Slack's edge sends) — nothing is done for them.
   */
  failNext(method: string, status: 429 | 500, times?: number): void;
  /** Calls to `method` are done (recorded, a message posted) at once but answered only after `ms`. */
  setDelay(method: string, ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: unknown;
}

const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata"]);

/** `clock`: message ts follow it (as Slack's follow the real time), for tests on a fixed clock that look messages up by time. */
export async function startFakeSlack(options: { users?: Record<string, FakeSlackUser>; botToken?: string; clock?: { now(): Date } } = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const users: Record<string, FakeSlackUser> = { ...options.users };
  const failures = new Map<string, (429 | 500)[]>();
  const delays = new Map<string, number>();
  const messages: FakeSlackMessage[] = [];
  let ts = 1_700_000_000;

  const answerFor = (method: string, args: Record<string, unknown>, headers: IncomingHttpHeaders): Record<string, unknown> => {
    if (options.botToken && headers.authorization !== `Bearer ${options.botToken}` && args.token !== options.botToken) return { ok: false, error: "invalid_auth" };
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://council.slack.com/", team: "Council", user: "portal", team_id: "T0COUNCIL", user_id: "UBOT", bot_id: "BBOT" };
      case "users.info": {
        const id = String(args.user ?? "");
        const user = users[id];
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id,
            team_id: "T0COUNCIL",
            name: id.toLowerCase(),
            deleted: user.deleted ?? false,
            is_bot: user.isBot ?? false,
            is_email_confirmed: user.emailConfirmed ?? true,
            profile: user.email ? { email: user.email, real_name: id } : { real_name: id },
          },
        };
      }
      case "chat.postMessage":
        ts = Math.max(ts + 1, options.clock ? Math.floor(options.clock.now().getTime() / 1000) : 0);
        messages.push({ channel: String(args.channel), ts: `${ts}.000100`, text: args.text, metadata: args.metadata });
        return { ok: true, channel: args.channel, ts: `${ts}.000100`, message: { text: args.text, blocks: args.blocks } };
      case "conversations.history": {
        const oldest = Number(args.oldest ?? 0);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
        const found = messages
          .filter((m) => m.channel === args.channel && Number(m.ts) > oldest)
          .reverse()
          .map((m) => ({ type: "message", ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages: found, has_more: false };
      }
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case "chat.postEphemeral":
        ts += 1;
        return { ok: true, message_ts: `${ts}.000200` };
      case "views.open":
      case "views.publish":
        return { ok: true, view: { id: `V${calls.length}`, ...(args.view as object) } };
      default:
        return { ok: false, error: "unknown_method" };
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      let args: Record<string, unknown> = {};
      if ((req.headers["content-type"] ?? "").includes("application/json")) {
        args = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } else {
        for (const [key, value] of new URLSearchParams(raw)) {
          args[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
        }
      }
      const failure = failures.get(method)?.shift();
      if (failure === 429) {
        calls.push({ method, headers: req.headers, args, answer: { ok: false, error: "ratelimited" } });
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" }).end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return;
      }
      if (failure === 500) {
        calls.push({ method, headers: req.headers, args, answer: { ok: false, error: "http_500" } });
        res.writeHead(500, { "content-type": "text/html" }).end("<html><body>Internal Server Error</body></html>");
        return;
      }
      const answer = answerFor(method, args, req.headers);
      calls.push({ method, headers: req.headers, args, answer });
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      };
      const delay = delays.get(method) ?? 0;
      if (delay > 0) setTimeout(reply, delay);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    users,
    messages,
    failNext: (method, status, times = 1) => {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<429 | 500>(times).fill(status)]);
    },
    setDelay: (method, ms) => {
      delays.set(method, ms);
    },
    reset: () => {
      calls.length = 0;
      failures.clear();
      delays.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Slack's request signature headers for a body, at a timestamp (seconds; now unless given). */
export function signSlackRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

/** An interactivity payload as Slack posts it: form-encoded, in one "payload" field. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
