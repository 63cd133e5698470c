import { describe, expect, it } from "vitest";
import { DEFAULT_DELIVERY_POLICY, MAX_ERROR_LENGTH, SEND_TIMEOUT_MS, decideOutcome, retryDelayMs, truncateError } from "@/lib/mail/rules";

/** When outbound email is tried again, and when it is given up. */

const MINUTE = 60_000;
const now = new Date("2026-05-04T09:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("retryDelayMs", () => {
  it("doubles from one minute after each failed attempt, capped at an hour", () => {
    const minutes = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1) / MINUTE);
    expect(minutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });

  it("stays finite and capped however many attempts", () => {
    expect(retryDelayMs(10_000)).toBe(DEFAULT_DELIVERY_POLICY.maxDelayMs);
    expect(retryDelayMs(0)).toBe(MINUTE);
  });

  it("follows the policy given", () => {
    const policy = { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 1_000, maxDelayMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it("the lease outlasts a send's timeout, so a live worker is never taken over", () => {
    expect(DEFAULT_DELIVERY_POLICY.leaseMs).toBeGreaterThan(2 * SEND_TIMEOUT_MS);
  });
});

describe("decideOutcome", () => {
  it("a success is sent, with the provider's id", () => {
    expect(decideOutcome({ ok: true, providerMessageId: "re_1" }, 1, now)).toEqual({ status: "sent", providerMessageId: "re_1" });
  });

  it("a retryable failure is tried again after the backoff", () => {
    expect(decideOutcome({ ok: false, retryable: true, error: "500 internal_server_error: boom" }, 3, now)).toEqual({
      status: "failed",
      nextAttemptAt: later(4 * MINUTE),
      error: "500 internal_server_error: boom",
    });
  });

  it("waits for Retry-After when it is longer than the backoff (never beyond the cap)", () => {
    const result = (retryAfterMs: number) => decideOutcome({ ok: false, retryable: true, error: "429", retryAfterMs }, 1, now);
    expect(result(5 * MINUTE)).toMatchObject({ nextAttemptAt: later(5 * MINUTE) });
    expect(result(1_000)).toMatchObject({ nextAttemptAt: later(MINUTE) });
    expect(result(24 * 60 * MINUTE)).toMatchObject({ nextAttemptAt: later(DEFAULT_DELIVERY_POLICY.maxDelayMs) });
  });

  it("a refusal of the message itself is dead at once", () => {
    expect(decideOutcome({ ok: false, retryable: false, error: "422 validation_error: bad to" }, 1, now)).toEqual({
      status: "dead",
      reason: "refused",
      error: "422 validation_error: bad to",
    });
  });

  it("the last allowed attempt failing is dead", () => {
    const failure = { ok: false as const, retryable: true, error: "503" };
    expect(decideOutcome(failure, DEFAULT_DELIVERY_POLICY.maxAttempts - 1, now).status).toBe("failed");
    expect(decideOutcome(failure, DEFAULT_DELIVERY_POLICY.maxAttempts, now)).toMatchObject({ status: "dead", reason: "max_attempts" });
    expect(decideOutcome(failure, 2, now, { ...DEFAULT_DELIVERY_POLICY, maxAttempts: 2 })).toMatchObject({ status: "dead", reason: "max_attempts" });
  });
});

describe("truncateError", () => {
  it("keeps errors short and never empty", () => {
    expect(truncateError("x".repeat(5_000))).toHaveLength(MAX_ERROR_LENGTH);
    expect(truncateError("  ")).toBe("unknown error");
    expect(truncateError(" 500 boom ")).toBe("500 boom");
  });
});
