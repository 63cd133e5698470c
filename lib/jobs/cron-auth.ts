import { createHash, timingSafeEqual } from "node:crypto";
import type { Env } from "../env";

export type CronAuthorisation = "ok" | "unauthorised" | "not_configured";

/**
 * Whether a call to the cron endpoint may run jobs: it must carry `Authorization: Bearer
 * $CRON_SECRET` (what Vercel Cron sends). Without CRON_SECRET the endpoint is off
 * ("not_configured", HTTP 503) — never open. Compared in constant time (over hashes, so the
 * lengths do not leak either).
 */
export function cronAuthorisation(authorization: string | null | undefined, env: Env): CronAuthorisation {
  const secret = env.CRON_SECRET?.trim();
  if (!secret) return "not_configured";
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
  if (!match) return "unauthorised";
  const given = createHash("sha256").update(match[1]!.trim()).digest();
  const expected = createHash("sha256").update(secret).digest();
  return timingSafeEqual(given, expected) ? "ok" : "unauthorised";
}

/** The HTTP status for each verdict. */
export const cronAuthorisationStatus: Record<Exclude<CronAuthorisation, "ok">, number> = { unauthorised: 401, not_configured: 503 };
