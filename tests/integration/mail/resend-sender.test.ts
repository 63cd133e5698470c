import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mergeConfig, validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { createResendSender, resendSenderFromEnv } from "@/lib/mail/resend-sender";
import type { OutgoingEmail } from "@/lib/mail/sender";
import { startFakeResend, type FakeResend, type FakeResendFailure } from "@/tests/support/fake-resend";

/** The Resend sender against a local fake of Resend's POST /emails: what it sends, and how it reads refusals. */

let resend: FakeResend;
beforeAll(async () => {
  resend = await startFakeResend();
});
afterEach(() => {
  resend.reset();
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await resend?.close();
});

const config = validateConfig(mergeConfig(councilProfile, {}));
const email: OutgoingEmail = {
  to: ["priya.shah@meadowbank-care.example.org"],
  cc: [],
  subject: "Your username",
  text: "Your username is priya.shah@meadowbank-care.example.org",
  idempotencyKey: "account_username:1b9d6bcd",
};

describe("a send", () => {
  it("posts the email with the API key, the idempotency key, the From address and replies to the operator mailbox", async () => {
    const sender = resendSenderFromEnv({ RESEND_API_KEY: "re_abc", RESEND_BASE_URL: resend.url }, config)!;
    const result = await sender.send(email);
    expect(result).toEqual({ ok: true, providerMessageId: resend.calls[0]!.id });
    const [call] = resend.calls;
    expect(call).toMatchObject({ method: "POST", path: "/emails" });
    expect(call!.headers).toMatchObject({ authorization: "Bearer re_abc", "idempotency-key": "account_username:1b9d6bcd", "content-type": "application/json" });
    expect(call!.body).toEqual({
      from: `${config.operator.teamName} <${config.operator.mailbox}>`,
      to: email.to,
      reply_to: config.operator.mailbox,
      subject: email.subject,
      text: email.text,
    });
  });

  it("uses RESEND_FROM when set", async () => {
    const sender = resendSenderFromEnv({ RESEND_API_KEY: "re_abc", RESEND_BASE_URL: resend.url, RESEND_FROM: "Care Portal <no-reply@portal.example.gov.uk>" }, config)!;
    await sender.send({ ...email, cc: ["authoriser@meadowbank-care.example.org"] });
    expect(resend.calls[0]!.body).toMatchObject({ from: "Care Portal <no-reply@portal.example.gov.uk>", cc: ["authoriser@meadowbank-care.example.org"] });
  });

  it("reaches RESEND_BASE_URL from the process environment too (the SDK's own default)", async () => {
    vi.stubEnv("RESEND_BASE_URL", resend.url);
    const sender = createResendSender({ apiKey: "re_env", from: "portal@example.org" });
    expect(await sender.send(email)).toMatchObject({ ok: true });
    expect(resend.calls).toHaveLength(1);
  });
});

describe("a refusal or fault", () => {
  const cases: { status: FakeResendFailure; retryable: boolean; error: RegExp; retryAfterMs?: number }[] = [
    { status: 422, retryable: false, error: /^422 validation_error: Invalid `to` field/ },
    { status: 400, retryable: false, error: /^400 invalid_parameter/ },
    { status: 429, retryable: true, error: /^429 rate_limit_exceeded/, retryAfterMs: 1_000 },
    { status: 500, retryable: true, error: /^500 internal_server_error/ },
    { status: 502, retryable: true, error: /^502 application_error/ },
    { status: 503, retryable: true, error: /^503 application_error/ },
    // A bad key is the operator's to fix; the message itself is fine and waits for it.
    { status: 401, retryable: true, error: /^401 missing_api_key/ },
    { status: 403, retryable: true, error: /^403 invalid_api_key/ },
    // Another request with this key is still in flight.
    { status: 409, retryable: true, error: /^409 concurrent_idempotent_requests/ },
  ];
  for (const { status, retryable, error, retryAfterMs } of cases) {
    it(`${status} is ${retryable ? "retried" : "final (the message goes dead at once)"}`, async () => {
      const sender = createResendSender({ apiKey: "re_abc", from: "portal@example.org", baseUrl: resend.url });
      resend.failNext(status);
      const result = await sender.send(email);
      expect(result).toMatchObject({ ok: false, retryable });
      expect(!result.ok && result.error).toMatch(error);
      expect(!result.ok && result.retryAfterMs).toBe(retryAfterMs ?? undefined);
    });
  }

  it("the same key with another payload (409 invalid_idempotent_request) is final", async () => {
    const sender = createResendSender({ apiKey: "re_abc", from: "portal@example.org", baseUrl: resend.url });
    expect(await sender.send(email)).toMatchObject({ ok: true });
    expect(await sender.send({ ...email, text: "changed" })).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^409 invalid_idempotent_request/) });
  });

  it("a network fault (nothing listening) is retried", async () => {
    const gone = await startFakeResend();
    await gone.close();
    const sender = createResendSender({ apiKey: "re_abc", from: "portal@example.org", baseUrl: gone.url });
    expect(await sender.send(email)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^network application_error/) });
  });

  it("an aborted send (timeout) is retried", async () => {
    resend.setDelay(1_000);
    const sender = createResendSender({ apiKey: "re_abc", from: "portal@example.org", baseUrl: resend.url });
    const result = await sender.send(email, { signal: AbortSignal.timeout(50) });
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});
