/**
 * The one error type of the domain. `code` is stable (surfaces map it to HTTP status, Slack
 * replies, CLI exit codes); `message` is for logs; `userMessage` is safe to show a person.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly userMessage: string = message,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type AppErrorCode =
  /** Input failed validation; fieldErrors says where. */
  | "validation"
  /** The thing asked for does not exist, or the actor may not know it exists. */
  | "not_found"
  /** The actor is signed in but the action is beyond their security role. */
  | "forbidden"
  /** No valid session. */
  | "unauthenticated"
  /** Someone else changed the record first (optimistic concurrency). */
  | "conflict"
  /** A rule of the policy refuses the action (licence full, purpose refused …). */
  | "refused"
  /** Too many attempts. */
  | "rate_limited"
  /** The embedded database is held by another process. */
  | "locked";

export const httpStatusFor: Record<AppErrorCode, number> = {
  validation: 400,
  not_found: 404,
  forbidden: 404, // never reveal that a resource exists beyond the actor's reach (AUP-5.2d)
  unauthenticated: 401,
  conflict: 409,
  refused: 422,
  rate_limited: 429,
  locked: 503,
};

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
