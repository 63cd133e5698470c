import type { Env } from "../env";

/**
 * Whether outbound email leaves the building. Without a Resend key every message stays in
 * the outbox and staff read it in the app — including set-up links and one-time codes, since
 * otherwise nobody could follow a flow on one machine. With a mail service configured,
 * messages carrying secrets are masked in the staff view: only their recipient may read them.
 */
export function mailDeliveryConfigured(env: Env = process.env): boolean {
  return Boolean(env.RESEND_API_KEY?.trim());
}
