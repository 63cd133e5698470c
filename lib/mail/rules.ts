/**
 * Pure decisions of outbound email delivery: when to try again, when to give up. The worker
 * (deliver-outbox.ts) applies them; they are unit-tested without a database.
 */

export interface DeliveryPolicy {
  /** Attempts (sends tried) before a message that keeps failing is given up as dead. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /**
   * How long a claimed message stays "sending". A worker that crashed mid-send leaves its
   * messages claimed; once the lease ends they are due again. Kept well above SEND_TIMEOUT_MS.
   */
  leaseMs: number;
}

/** 1, 2, 4, 8, 16, 32, 60, 60 … minutes: ten attempts span about four and a half hours. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 5 * 60_000,
};

/** A send that takes longer than this is abandoned (and retried) well inside the lease. */
export const SEND_TIMEOUT_MS = 30_000;

/** The longest error text kept on a message (and in the audit log). */
export const MAX_ERROR_LENGTH = 1_000;

/** The wait before the next attempt, after `attempts` attempts have failed (1-based). */
export function retryDelayMs(attempts: number, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  // 2 ** 40 minutes is far past any cap; stop there so the number stays finite.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 40));
}

/** What one send attempt reported, as the worker sees it. */
export type AttemptResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** False when sending the same message again cannot succeed (the service refused its content). */
      retryable: boolean;
      error: string;
      /** The service asked us to wait at least this long (HTTP Retry-After). */
      retryAfterMs?: number;
    };

export type Outcome =
  | { status: "sent"; providerMessageId: string }
  | { status: "failed"; nextAttemptAt: Date; error: string }
  | { status: "dead"; error: string; reason: DeadReason };

/** Why a message was given up: the audit event says which. */
export type DeadReason = "refused" | "max_attempts" | "interrupted";

/** The message's next state after attempt number `attempts` (1-based) ended with `result`. */
export function decideOutcome(result: AttemptResult, attempts: number, now: Date, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): Outcome {
  if (result.ok) return { status: "sent", providerMessageId: result.providerMessageId };
  const error = truncateError(result.error);
  if (!result.retryable) return { status: "dead", error, reason: "refused" };
  if (attempts >= policy.maxAttempts) return { status: "dead", error, reason: "max_attempts" };
  const wait = Math.max(retryDelayMs(attempts, policy), Math.min(result.retryAfterMs ?? 0, policy.maxDelayMs));
  return { status: "failed", nextAttemptAt: new Date(now.getTime() + wait), error };
}

export function truncateError(error: string): string {
  const text = error.trim() || "unknown error";
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
