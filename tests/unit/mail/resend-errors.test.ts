import { describe, expect, it } from "vitest";
import { mergeConfig, validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { describeResendError, isRetryableResendError, mailFromAddress } from "@/lib/mail/resend-sender";

/** How Resend's errors are read: a refusal of the message is final; anything passing is retried. */

describe("isRetryableResendError", () => {
  const cases: [name: string, statusCode: number | null, retryable: boolean][] = [
    ["validation_error", 422, false],
    ["validation_error", 403, false], // e.g. a test key sending to someone else
    ["invalid_from_address", 422, false],
    ["missing_required_field", 422, false],
    ["invalid_parameter", 400, false],
    ["invalid_idempotent_request", 409, false],
    ["invalid_idempotency_key", 400, false],
    ["not_found", 404, false],
    ["rate_limit_exceeded", 429, true],
    ["daily_quota_exceeded", 429, true],
    ["monthly_quota_exceeded", 429, true],
    ["concurrent_idempotent_requests", 409, true],
    ["internal_server_error", 500, true],
    ["application_error", 500, true],
    ["application_error", null, true], // network fault: the SDK reports no status
    ["missing_api_key", 401, true],
    ["invalid_api_key", 403, true],
    ["restricted_api_key", 401, true],
  ];
  for (const [name, statusCode, retryable] of cases) {
    it(`${statusCode ?? "no status"} ${name} is ${retryable ? "retried" : "final"}`, () => {
      expect(isRetryableResendError({ name: name as never, statusCode })).toBe(retryable);
    });
  }

  it("an unknown error goes by its status: other 4xx final; 408, 429, 5xx retried", () => {
    const unknown = (statusCode: number | null) => isRetryableResendError({ name: "something_new" as never, statusCode });
    expect([400, 404, 410, 413, 422].map(unknown)).toEqual([false, false, false, false, false]);
    expect([408, 429, 500, 502, 503, 504, null].map(unknown)).toEqual([true, true, true, true, true, true, true]);
  });
});

describe("describeResendError", () => {
  it("reads as status, name and message", () => {
    expect(describeResendError({ name: "validation_error", statusCode: 422, message: "Invalid `to` field." })).toBe("422 validation_error: Invalid `to` field.");
    expect(describeResendError({ name: "application_error", statusCode: null, message: "Unable to fetch data." })).toBe("network application_error: Unable to fetch data.");
  });
});

describe("mailFromAddress", () => {
  const config = validateConfig(mergeConfig(councilProfile, {}));
  it("is RESEND_FROM when set", () => {
    expect(mailFromAddress({ RESEND_FROM: " Care Portal <no-reply@portal.example.gov.uk> " }, config)).toBe("Care Portal <no-reply@portal.example.gov.uk>");
  });
  it("is otherwise the operator's team and mailbox from the configuration", () => {
    expect(mailFromAddress({}, config)).toBe(`${config.operator.teamName} <${config.operator.mailbox}>`);
    const odd = { operator: { ...config.operator, teamName: 'Brokerage, "North" <team>' } };
    expect(mailFromAddress({ RESEND_FROM: "" }, odd)).toBe(`Brokerage North team <${config.operator.mailbox}>`);
  });
});
