import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Resend's POST /emails, answering as the real API does, for tests:
 * point the SDK at it with RESEND_BASE_URL (or the sender's baseUrl).
 *
 *   const resend = await startFakeResend();
 *   resend.failNext(500, 2);            // the next two calls answer 500
 *   …  resend.calls  …                  // every request, in order
 *   await resend.close();
 *
 * Like Resend it keeps successful answers by Idempotency-Key: the same key and payload again
 * returns the same id without sending again (the call is recorded with `replayed: true`); the
 * same key with another payload is refused with 409 invalid_idempotent_request.
 */

export interface FakeResendCall {
  method: string;
  path: string;
  /** Lower-cased header names, as Node gives them: authorization, idempotency-key … */
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The HTTP status answered. */
  status: number;
  /** The email id answered, for a success. */
  id?: string;
  /** A repeat of an earlier successful key: nothing was sent again. */
  replayed: boolean;
}

export type FakeResendFailure = 400 | 401 | 403 | 409 | 422 | 429 | 500 | 502 | 503;

export interface FakeResend {
  /** The base URL to give the SDK (no trailing slash). */
  url: string;
  calls: FakeResendCall[];
  /** Emails Resend would have delivered: successful calls that were not replays. */
  readonly delivered: FakeResendCall[];
  /** Answers the next `times` calls to /emails with this status (and Resend's error body). */
  failNext(status: FakeResendFailure, times?: number): void;
  /** Waits this long before answering each call (to hold requests in flight). */
  setDelay(ms: number): void;
  /** Forgets calls, failures, delay and stored keys. */
  reset(): void;
  close(): Promise<void>;
}

const ERRORS: Record<FakeResendFailure, { name: string; message: string }> = {
  400: { name: "invalid_parameter", message: "The `to` field is invalid." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  409: { name: "concurrent_idempotent_requests", message: "Same idempotency key used while original request is still in progress." },
  422: { name: "validation_error", message: "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
  502: { name: "application_error", message: "Bad gateway." },
  503: { name: "application_error", message: "Service unavailable." },
};

export async function startFakeResend(): Promise<FakeResend> {
  const calls: FakeResendCall[] = [];
  let failures: FakeResendFailure[] = [];
  let delayMs = 0;
  let keys = new Map<string, { payload: string; id: string }>();
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          body = { raw };
        }
        const call: FakeResendCall = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, status: 0, replayed: false };
        calls.push(call);
        answer(call, res);
      })();
    });
  });

  function answer(call: FakeResendCall, res: ServerResponse): void {
    if (call.method !== "POST" || call.path !== "/emails") return error(call, res, 404, "not_found", "The requested endpoint does not exist.");
    if (!/^Bearer \S+$/.test(call.headers.authorization ?? "")) return error(call, res, 401, ERRORS[401].name, ERRORS[401].message);
    const failure = failures.shift();
    if (failure) return error(call, res, failure, ERRORS[failure].name, ERRORS[failure].message);
    const key = call.headers["idempotency-key"];
    const payload = JSON.stringify(call.body);
    if (typeof key === "string") {
      const earlier = keys.get(key);
      if (earlier && earlier.payload !== payload) {
        return error(call, res, 409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
      }
      if (earlier) {
        call.replayed = true;
        return ok(call, res, earlier.id);
      }
    }
    const id = randomUUID();
    if (typeof key === "string") keys.set(key, { payload, id });
    ok(call, res, id);
  }

  function ok(call: FakeResendCall, res: ServerResponse, id: string): void {
    call.status = 200;
    call.id = id;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  }

  function error(call: FakeResendCall, res: ServerResponse, status: number, name: string, message: string): void {
    call.status = status;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (status === 429) headers["retry-after"] = "1";
    res.writeHead(status, headers).end(JSON.stringify({ statusCode: status, message, name }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get delivered() {
      return calls.filter((c) => c.status === 200 && !c.replayed);
    },
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    reset() {
      calls.length = 0;
      failures = [];
      delayMs = 0;
      keys = new Map();
    },
    close: () => {
      // Idempotent: a test may stop the server early to see the client's network fault.
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
      return closing;
    },
  };
}
