import { describe, expect, it } from "vitest";
import { DEFAULT_SLACK_DELIVERY, describeSlackFailure, slackDeliveryPolicy, slackRetryDelayMs } from "@/lib/slack/delivery";
import { slackSettingsFromEnv } from "@/lib/slack/settings";

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000, timeoutMs: 500 };
const env = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_CHANNEL_ID: "C0123" };

describe("Slack retry policy (lib/slack/delivery.ts)", () => {
  it("doubles the wait after each failure, up to the cap", () => {
    const top = (n: number) => slackRetryDelayMs(n, policy, 0, () => 1);
    expect([1, 2, 3, 4, 5, 50].map(top)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it("takes up to half of each wait off at random (jitter), never more", () => {
    expect(slackRetryDelayMs(3, policy, 0, () => 0)).toBe(2_000);
    expect(slackRetryDelayMs(3, policy, 0, () => 0.5)).toBe(3_000);
  });

  it("never waits less than a 429's Retry-After, even beyond the cap", () => {
    expect(slackRetryDelayMs(1, policy, 3_000, () => 0)).toBe(3_000);
    expect(slackRetryDelayMs(1, policy, 60_000, () => 1)).toBe(60_000);
  });

  it("reads the SDK's errors: Retry-After from a rate limit, the status of an HTTP error", () => {
    expect(describeSlackFailure({ code: "slack_webapi_rate_limited_error", retryAfter: 7 })).toEqual({ error: "rate limited (Retry-After 7 s)", retryAfterMs: 7_000 });
    expect(describeSlackFailure({ code: "slack_webapi_http_error", statusCode: 503 }).error).toBe("HTTP 503");
    expect(describeSlackFailure({ code: "slack_webapi_platform_error", data: { error: "channel_not_found" } }).error).toBe("Slack refused: channel_not_found");
    expect(describeSlackFailure(new Error("timeout of 500ms exceeded")).retryAfterMs).toBeUndefined();
  });

  it("validates overrides and refuses a cap below the first wait", () => {
    expect(slackDeliveryPolicy()).toEqual(DEFAULT_SLACK_DELIVERY);
    expect(() => slackDeliveryPolicy({ maxAttempts: 0 })).toThrow();
    expect(() => slackDeliveryPolicy({ baseDelayMs: 10_000, maxDelayMs: 1_000 })).toThrow();
  });

  it("takes the policy from the environment, and names a bad setting without starting", () => {
    expect(slackSettingsFromEnv(env)?.delivery).toEqual(DEFAULT_SLACK_DELIVERY);
    expect(slackSettingsFromEnv({ ...env, SLACK_MAX_ATTEMPTS: "3", SLACK_TIMEOUT_MS: "2000" })?.delivery).toMatchObject({ maxAttempts: 3, timeoutMs: 2_000 });
    expect(() => slackSettingsFromEnv({ ...env, SLACK_MAX_ATTEMPTS: "0" })).toThrow(/SLACK_MAX_ATTEMPTS/);
    expect(() => slackSettingsFromEnv({ ...env, SLACK_TIMEOUT_MS: "soon" })).toThrow(/SLACK_TIMEOUT_MS/);
  });
});
