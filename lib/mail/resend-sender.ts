import { Resend, type ErrorResponse } from "resend";
import type { PortalConfig } from "../config";
import type { Env } from "../env";
import type { AttemptResult } from "./rules";
import type { MailSender, OutgoingEmail } from "./sender";

export type { MailSender, OutgoingEmail } from "./sender";

/*
 * Resend (https://resend.com) as the mail service. Environment:
 *   RESEND_API_KEY   turns delivery on (see delivery-mode.ts)
 *   RESEND_FROM      the From address, e.g. "Integrated Brokerage <no-reply@brokerage.example.gov.uk>";
 *                    default: the operator's team name and mailbox from the configuration
 *   RESEND_BASE_URL  another API address (a regional endpoint, or the tests' fake server)
 * Replies go to the operator mailbox whatever the From address.
 */

/** Errors that sending the same message again cannot cure: the service refused the message itself. */
const REFUSED = new Set<string>([
  "validation_error",
  "invalid_from_address",
  "invalid_attachment",
  "invalid_parameter",
  "missing_required_field",
  "invalid_idempotency_key",
  "invalid_idempotent_request",
  "invalid_region",
  "not_found",
  "method_not_allowed",
]);

/**
 * Errors worth retrying whatever their status: rate limits and quotas pass, a request with the
 * same key may still be in flight, the service may recover, and a bad or restricted API key is
 * the operator's to fix — the messages themselves are fine and wait for it.
 */
const TRANSIENT = new Set<string>([
  "rate_limit_exceeded",
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
  "concurrent_idempotent_requests",
  "application_error",
  "internal_server_error",
  "missing_api_key",
  "invalid_api_key",
  "restricted_api_key",
  "invalid_access",
  "security_error",
]);

/**
 * Whether a Resend error is worth retrying: 4xx refusals of the message (validation) are not;
 * 429, 5xx, network faults (no status) and key problems are. Unknown names go by status.
 */
export function isRetryableResendError(error: Pick<ErrorResponse, "name" | "statusCode">): boolean {
  if (REFUSED.has(error.name)) return false;
  if (TRANSIENT.has(error.name)) return true;
  const status = error.statusCode;
  return status === null || status === undefined || status === 408 || status === 429 || status >= 500 || status < 400;
}

/** "422 validation_error: Invalid `to` field." — what staff see as the last error. */
export function describeResendError(error: Pick<ErrorResponse, "name" | "statusCode" | "message">): string {
  const status = error.statusCode ?? "network";
  return `${status} ${error.name}: ${error.message}`;
}

/** The From address: RESEND_FROM, else the operator's team name and mailbox from the configuration. */
export function mailFromAddress(env: Env, config: Pick<PortalConfig, "operator">): string {
  const configured = env.RESEND_FROM?.trim();
  if (configured) return configured;
  const name = config.operator.teamName.replace(/[<>",;:\\]/g, "").trim();
  return name ? `${name} <${config.operator.mailbox}>` : config.operator.mailbox;
}

export interface ResendSenderOptions {
  apiKey: string;
  from: string;
  replyTo?: string;
  /** Defaults to RESEND_BASE_URL, then Resend's own address (as the SDK does). */
  baseUrl?: string;
}

/** A MailSender over Resend's POST /emails, passing the outbox key as its Idempotency-Key. */
export function createResendSender(options: ResendSenderOptions): MailSender {
  const client = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : undefined);
  return {
    async send(email: OutgoingEmail, sendOptions = {}): Promise<AttemptResult> {
      const { data, error, headers } = await client.emails.send(
        {
          from: options.from,
          to: email.to,
          ...(email.cc.length ? { cc: email.cc } : {}),
          ...(options.replyTo ? { replyTo: options.replyTo } : {}),
          subject: email.subject,
          text: email.text,
        },
        { idempotencyKey: email.idempotencyKey, signal: sendOptions.signal },
      );
      if (error || !data) {
        const failure = error ?? { name: "application_error" as const, statusCode: null, message: "no response body" };
        const retryAfterMs = retryAfter(headers);
        return { ok: false, retryable: isRetryableResendError(failure), error: describeResendError(failure), ...(retryAfterMs ? { retryAfterMs } : {}) };
      }
      return { ok: true, providerMessageId: data.id };
    },
  };
}

/** A Resend sender as the environment and configuration say, or null when RESEND_API_KEY is unset. */
export function resendSenderFromEnv(env: Env, config: Pick<PortalConfig, "operator">): MailSender | null {
  const apiKey = env.RESEND_API_KEY?.trim();
  if (!apiKey) return null;
  return createResendSender({
    apiKey,
    from: mailFromAddress(env, config),
    replyTo: config.operator.mailbox,
    baseUrl: env.RESEND_BASE_URL?.trim() || undefined,
  });
}

/** Retry-After in seconds (the only form Resend sends), as milliseconds. */
function retryAfter(headers: Record<string, string> | null): number | undefined {
  const value = headers?.["retry-after"];
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
