import http from "node:http";
import type { EventLog } from "../log";

/**
 * Graceful shutdown of the server process (SIGTERM from a supervisor, a deploy, Ctrl-C):
 *
 *   1. draining: the readiness check answers 503, so a load balancer stops sending requests,
 *      while for PORTAL_SHUTDOWN_DRAIN_MS (default 2 s) requests are still served as usual —
 *      closing the listener at once would reset connections the kernel has accepted but
 *      Node has not read yet (it counts them as idle);
 *   2. the HTTP servers stop accepting connections, and the background workers (job timer,
 *      mail worker, Slack bot, mailbox listener) stop taking new work — each finishes the
 *      run it is in;
 *   3. requests already being served finish (their transactions commit or roll back);
 *   4. the database is closed (the embedded one checkpoints and releases its lock file);
 *   5. the process exits 0.
 *
 * If that takes longer than the deadline (PORTAL_SHUTDOWN_TIMEOUT_MS, default 20 s: inside
 * the 30 s most supervisors wait before a kill), the process exits 1 without waiting further:
 * every change is one transaction, so an unfinished request leaves nothing half-done.
 */

const tracking = globalThis as typeof globalThis & {
  __portalHttp?: { servers: Set<http.Server>; responses: Set<http.ServerResponse>; inFlight: number; idle: (() => void)[]; draining: boolean };
};

function state() {
  tracking.__portalHttp ??= { servers: new Set(), responses: new Set(), inFlight: 0, idle: [], draining: false };
  return tracking.__portalHttp;
}

/** While draining, a response ends its connection: a keep-alive client reconnects elsewhere. */
function endKeepAlive(response: http.ServerResponse): void {
  if (!response.headersSent) response.shouldKeepAlive = false;
}

/**
 * Counts the requests each HTTP server in this process is serving, and remembers the servers,
 * so a shutdown can close them and wait for those requests. Next.js creates its server before
 * our start-up code runs, hence the hook on the prototype (as socket-address.ts does).
 */
export function trackHttpRequests(): void {
  const proto = http.Server.prototype as http.Server & { __portalTracked?: boolean };
  if (proto.__portalTracked) return;
  proto.__portalTracked = true;
  const emit = proto.emit;
  proto.emit = function trackedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const s = state();
      const response = args[1] as http.ServerResponse;
      s.servers.add(this);
      const closeIdle = () => this.closeIdleConnections();
      s.inFlight += 1;
      s.responses.add(response);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        s.inFlight -= 1;
        s.responses.delete(response);
        // A connection that just went idle during a shutdown is closed, not kept for reuse.
        if (s.draining) setImmediate(closeIdle);
        if (s.inFlight === 0) for (const resolve of s.idle.splice(0)) resolve();
      };
      response.once("finish", finish);
      response.once("close", finish);
      if (s.draining) endKeepAlive(response);
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
}

/** How many requests are being served now. */
export function requestsInFlight(): number {
  return state().inFlight;
}

/** Whether a shutdown has begun: the readiness check then answers 503. */
export function isDraining(): boolean {
  return state().draining;
}

function requestsFinished(): Promise<void> {
  const s = state();
  if (s.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => s.idle.push(resolve));
}

function closeServers(): Promise<void> {
  const servers = [...state().servers];
  return Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          // Stops accepting; idle keep-alive sockets are closed now, busy ones after their response.
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    ),
  ).then(() => undefined);
}

export interface ShutdownSteps {
  /** Stops the background workers; resolves when their current runs have finished. */
  stopWorkers(): Promise<void>;
  /** Closes the database. */
  closeDatabase(): Promise<void>;
  log: EventLog;
  timeoutMs?: number;
  /** How long to keep serving after the readiness check turns 503 (default shutdownDrainMs()). */
  drainMs?: number;
}

export type ShutdownOutcome = { clean: true; ms: number } | { clean: false; ms: number; inFlight: number; error?: string };

/** Runs steps 1–4 above (not the exit, so it can be tested in process). */
export async function shutDown(steps: ShutdownSteps, reason: string): Promise<ShutdownOutcome> {
  const started = Date.now();
  const s = state();
  s.draining = true;
  for (const response of s.responses) endKeepAlive(response);
  steps.log("info", "server.shutdown_started", { reason, inFlight: s.inFlight });
  const timeoutMs = steps.timeoutMs ?? shutdownTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    timer.unref();
  });
  const work = (async () => {
    await new Promise((resolve) => setTimeout(resolve, steps.drainMs ?? shutdownDrainMs()));
    const closing = closeServers();
    await Promise.all([steps.stopWorkers(), requestsFinished()]);
    // Only now, with nothing left that could use it, the database goes.
    await steps.closeDatabase();
    // A server whose sockets are still closing does not hold up the exit.
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    return "done" as const;
  })();
  try {
    const result = await Promise.race([work, deadline]);
    const ms = Date.now() - started;
    if (result === "timeout") {
      steps.log("error", "server.shutdown_timed_out", { ms, inFlight: s.inFlight });
      return { clean: false, ms, inFlight: s.inFlight };
    }
    steps.log("info", "server.shutdown_finished", { ms });
    return { clean: true, ms };
  } catch (error) {
    const ms = Date.now() - started;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    steps.log("error", "server.shutdown_failed", { ms, error: message });
    return { clean: false, ms, inFlight: s.inFlight, error: message };
  } finally {
    clearTimeout(timer);
  }
}

export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.PORTAL_SHUTDOWN_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : 20_000;
}

/** PORTAL_SHUTDOWN_DRAIN_MS (0 allowed), default 2,000 ms; never beyond half the deadline. */
export function shutdownDrainMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORTAL_SHUTDOWN_DRAIN_MS?.trim();
  const value = raw ? Number(raw) : 2_000;
  return Math.min(Number.isFinite(value) && value >= 0 ? value : 2_000, shutdownTimeoutMs(env) / 2);
}

/**
 * Installs the SIGTERM / SIGINT handler of the server process. Next.js's own handler (which
 * would exit as soon as its HTTP server has closed, racing our database close) is turned off
 * with NEXT_MANUAL_SIG_HANDLE: Next registers its handler after our start-up code has run.
 */
export function installShutdownHandler(steps: ShutdownSteps): void {
  process.env.NEXT_MANUAL_SIG_HANDLE = "1";
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutDown(steps, signal).then((outcome) => process.exit(outcome.clean ? 0 : 1));
  };
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}
