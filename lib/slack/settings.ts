import { z } from "zod";
import type { Env } from "../env";
import { DEFAULT_SLACK_DELIVERY, slackDeliverySchema, type SlackDeliveryPolicy } from "./delivery";

/**
 * The Slack bot's settings, from the environment (secrets do not belong in the portal's
 * configuration file). The bot runs only when the token, signing secret and channel are all
 * set; SLACK_APP_TOKEN switches from HTTP (Bolt's receiver on SLACK_PORT, path /slack/events)
 * to Socket Mode. SLACK_API_URL points the Web API elsewhere (tests use a local fake).
 */
export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  channelId: string;
  /** Socket Mode when set (xapp-…); HTTP otherwise. */
  appToken: string | null;
  /** Slack's Web API base, ending in "/" (default https://slack.com/api/). */
  apiUrl: string;
  /** The HTTP receiver's port (HTTP mode). */
  port: number;
  /**
   * Posting to the channel when Slack fails (SLACK_MAX_ATTEMPTS, SLACK_TIMEOUT_MS,
   * SLACK_RETRY_BASE_MS, SLACK_RETRY_MAX_MS); lib/slack/delivery.ts's defaults when absent.
   */
  delivery?: SlackDeliveryPolicy;
}

const settingsSchema = z.object({
  SLACK_BOT_TOKEN: z.string().trim().min(1),
  SLACK_SIGNING_SECRET: z.string().trim().min(1),
  SLACK_CHANNEL_ID: z.string().trim().regex(/^[A-Z0-9]+$/, "a Slack channel id such as C0123456789"),
  SLACK_APP_TOKEN: z.string().trim().optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  SLACK_MAX_ATTEMPTS: z.coerce.number().int().optional(),
  SLACK_TIMEOUT_MS: z.coerce.number().int().optional(),
  SLACK_RETRY_BASE_MS: z.coerce.number().int().optional(),
  SLACK_RETRY_MAX_MS: z.coerce.number().int().optional(),
});

const DELIVERY_ENV = { maxAttempts: "SLACK_MAX_ATTEMPTS", timeoutMs: "SLACK_TIMEOUT_MS", baseDelayMs: "SLACK_RETRY_BASE_MS", maxDelayMs: "SLACK_RETRY_MAX_MS" } as const;

/** True when any Slack setting is present: the operator means to run the bot. */
export function slackRequested(env: Env): boolean {
  return ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL_ID"].some((key) => !!env[key]?.trim());
}

/**
 * The settings, or null when Slack is not configured at all. A partial configuration throws,
 * naming what is missing, so a typo does not silently leave staff without their messages.
 */
export function slackSettingsFromEnv(env: Env): SlackSettings | null {
  if (!slackRequested(env)) return null;
  const blankless = Object.fromEntries(["SLACK_API_URL", "SLACK_PORT", ...Object.values(DELIVERY_ENV)].map((key) => [key, env[key]?.trim() || undefined]));
  const parsed = settingsSchema.safeParse({ ...env, ...blankless });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Slack is partly configured: ${fields}`);
  }
  const s = parsed.data;
  const overrides = Object.fromEntries(Object.entries(DELIVERY_ENV).flatMap(([field, key]) => (s[key] === undefined ? [] : [[field, s[key]]])));
  const delivery = slackDeliverySchema.safeParse({ ...DEFAULT_SLACK_DELIVERY, ...overrides });
  if (!delivery.success) {
    const fields = delivery.error.issues.map((issue) => `${DELIVERY_ENV[issue.path[0] as keyof typeof DELIVERY_ENV] ?? issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Slack's retry settings are not valid: ${fields}`);
  }

  return {
    botToken: s.SLACK_BOT_TOKEN,
    signingSecret: s.SLACK_SIGNING_SECRET,
    channelId: s.SLACK_CHANNEL_ID,
    appToken: s.SLACK_APP_TOKEN || null,
    apiUrl: (s.SLACK_API_URL ?? "https://slack.com/api/").replace(/\/*$/, "/"),
    port: s.SLACK_PORT,
    delivery: delivery.data,
  };
}
