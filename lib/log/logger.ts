import pino, { type DestinationStream, type Logger } from "pino";

/**
 * The server's structured logs: one JSON object a line on stdout (pino), each with a level,
 * a time, an `event` name and, for anything a web request caused, its `requestId`.
 *
 * What must never reach a log — a password, a security number or its digits, a session or
 * set-up token, a cookie, an API key, an email's body — is removed twice over: callers log
 * ids, kinds and counts, never a person's input; and the paths below are censored whatever a
 * caller passes, so a careless `log.info({ input })` still prints no secret.
 */
export const REDACTED = "[redacted]";

const SECRET_KEYS = [
  "password",
  "passwordConfirm",
  "currentPassword",
  "newPassword",
  "securityNumber",
  "securityNumberConfirm",
  "digit",
  "digits",
  "otp",
  "oneTimeCode",
  "token",
  "secret",
  "apiKey",
  "authorization",
  "cookie",
  "set-cookie",
  "text",
  "html",
  "body",
];

/** Censored at the top level and one level down (`input.password`, `headers.cookie` …). */
export const REDACT_PATHS = [...SECRET_KEYS.map((key) => JSON.stringify(key)), ...SECRET_KEYS.map((key) => `*[${JSON.stringify(key)}]`)].map((path) =>
  path.startsWith('"') ? `[${path}]` : path,
);

export interface CreateLoggerOptions {
  /** Where lines go (tests pass a stream of their own); stdout by default. */
  destination?: DestinationStream;
  /** PORTAL_LOG_LEVEL, else "info". */
  level?: string;
  /** Fields on every line (e.g. { service: "portal" }). */
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.PORTAL_LOG_LEVEL?.trim() || "info");
  return pino(
    {
      level,
      base: { service: "portal", pid: process.pid, ...options.base },
      // Lines for machines: ISO time, the level as a word ("info"), not pino's number.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
    },
    // Synchronous writes: a line logged just before the process exits (a shutdown, a fatal
    // error) is not lost in a buffer.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The process's logger. Lives on globalThis: Next may load this module in several bundles
 * (proxy, pages, instrumentation) and all of them should share one destination.
 */
const holder = globalThis as typeof globalThis & { __portalLogger?: Logger };

export function logger(): Logger {
  holder.__portalLogger ??= createLogger();
  return holder.__portalLogger;
}

/** The `(level, event, fields)` shape the mail worker, jobs and bots log through, onto pino. */
export type EventLog = (level: "info" | "warn" | "error", event: string, fields?: Record<string, unknown>) => void;

export function eventLog(source: string, base: Logger = logger()): EventLog {
  const child = base.child({ source });
  return (level, event, fields = {}) => child[level]({ ...fields, event });
}
