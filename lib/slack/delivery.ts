import { z } from "zod";

/**
 * How the bot posts to Slack when Slack misbehaves: pure decisions, unit-testable without a
 * database or a Slack. The Web API client's own retries are switched off (bots/slack/app.ts),
 * so this is the single retry policy: each call is bounded by `timeoutMs`, a failed post waits
 * an exponential, jittered, capped delay (at least what a 429's Retry-After asks), and after
 * `maxAttempts` the post is given up as a dead letter for staff to retry.
 */
export interface SlackDeliveryPolicy {
  /** Posts tried (the first one included) before a post that keeps failing is dead-lettered. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One Web API call that takes longer is abandoned and counts as a failed attempt. */
  timeoutMs: number;
}

/** 5 s, 10 s, 20 s … capped at 5 minutes: eight attempts span about six minutes. */
export const DEFAULT_SLACK_DELIVERY: SlackDeliveryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 300_000, timeoutMs: 10_000 };

export const slackDeliverySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100),
    baseDelayMs: z.number().int().min(0).max(3_600_000),
    maxDelayMs: z.number().int().min(0).max(86_400_000),
    timeoutMs: z.number().int().min(100).max(300_000),
  })
  .refine((p) => p.maxDelayMs >= p.baseDelayMs, { message: "maxDelayMs must be at least baseDelayMs", path: ["maxDelayMs"] });

/** The policy with overrides applied, validated: a bad override throws, naming the field. */
export function slackDeliveryPolicy(overrides: Partial<SlackDeliveryPolicy> = {}): SlackDeliveryPolicy {
  return slackDeliverySchema.parse({ ...DEFAULT_SLACK_DELIVERY, ...overrides });
}

/**
 * The wait before the next attempt after `attempts` failed ones (1-based): full-size exponential
 * step, capped, with up to half of it taken off at random ("equal jitter") so several bots kept
 * out by the same outage do not come back in step. A 429's Retry-After is a floor: Slack said
 * when it will take calls again.
 */
export function slackRetryDelayMs(attempts: number, policy: SlackDeliveryPolicy, retryAfterMs = 0, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempts) - 1), 40);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jittered = step / 2 + (step / 2) * random();
  return Math.ceil(Math.max(jittered, retryAfterMs));
}

/** What a failed Web API call tells the retry policy. */
export interface SlackFailure {
  error: string;
  /** Slack's Retry-After (429), in ms. */
  retryAfterMs?: number;
}

/** Reads an error thrown by @slack/web-api (rate limited, HTTP, platform, request/timeout). */
export function describeSlackFailure(error: unknown): SlackFailure {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string; name?: string };
  if (e?.code === "slack_webapi_rate_limited_error") return { error: `rate limited (Retry-After ${e.retryAfter ?? "?"} s)`, retryAfterMs: Math.max(0, (e.retryAfter ?? 0) * 1000) };
  if (e?.code === "slack_webapi_http_error") return { error: `HTTP ${e.statusCode ?? "?"}` };
  if (e?.code === "slack_webapi_platform_error") return { error: `Slack refused: ${e.data?.error ?? "unknown"}` };
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { error: text.slice(0, 500) };
}
