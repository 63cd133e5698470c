import { ConfigError } from "../lib/config";
import { AppError } from "../lib/errors";

/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
}

/**
 * Prints a command's result: one JSON document with --json, else the human text.
 * Exit code 0, or the one given (a verdict such as "refused" is still a successful run).
 */
export function emit(options: CommonOptions, result: unknown, human: string | (() => string), exitCode = 0): void {
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${typeof human === "function" ? human() : human}\n`);
  process.exitCode = exitCode;
}

/** Maps an error to a clear message (or JSON) and an exit code; never a stack trace for a known error. */
export function fail(options: CommonOptions, error: unknown): void {
  const known = error instanceof AppError || error instanceof ConfigError;
  const code = error instanceof AppError ? error.code : error instanceof ConfigError ? "config" : "internal";
  // A refusal's message is worded for a browser ("Page not found"); say plainly what happened here.
  const message =
    error instanceof AppError
      ? error.code === "forbidden"
        ? "Not permitted: that account's security role does not allow this."
        : error.userMessage
      : error instanceof Error
        ? error.message
        : String(error);
  if (options.json) {
    const body: Record<string, unknown> = { error: { code, message } };
    if (error instanceof AppError && Object.keys(error.fieldErrors).length) (body.error as Record<string, unknown>).fields = error.fieldErrors;
    if (error instanceof ConfigError) (body.error as Record<string, unknown>).problems = error.problems;
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    process.stderr.write(`portal: ${message}\n`);
    if (!known && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = code === "validation" || code === "config" ? 2 : 1;
}

/** Wraps a command's action so every failure goes through `fail`. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    const options = (args.find((a) => typeof a === "object" && a !== null && !Array.isArray(a) && "json" in (a as object)) ?? {}) as CommonOptions;
    try {
      await run(...args);
    } catch (error) {
      fail(options, error);
    }
  };
}
