import type { webApi } from "@slack/bolt";
import { systemActor, type Actor } from "../../lib/audit/events";
import { recordAudit } from "../../lib/audit/record-audit";
import { can, type Viewer } from "../../lib/auth/permissions";
import { viewerForEmail } from "../../lib/auth/viewer-for-email";
import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Database } from "../../lib/db/types";
import { AppError, isAppError } from "../../lib/errors";

/** How long a Slack user's email is trusted before Slack is asked again. */
export const EMAIL_CACHE_MS = 15 * 60_000;

export type StaffLookup =
  | { ok: true; viewer: Viewer; actor: Actor }
  | { ok: false; reason: string; /** the portal account, when the Slack user has one */ actor: Actor | null };

export interface StaffDirectory {
  /**
   * The operator staff member behind a Slack user, with requests:edit; or why not. Only the
   * email is cached: the account's status and roles are read afresh every time, so a
   * suspension or a role change takes effect at the next click.
   */
  resolve(client: webApi.WebClient, slackUserId: string, level?: "read" | "edit"): Promise<StaffLookup>;
  /** Audits a refused attempt (UAP-4.4): who tried what, from which Slack user, and why. */
  recordRefusal(slackUserId: string, lookup: Extract<StaffLookup, { ok: false }>, attempt: { action: string; requestId?: string | null; organisationId?: string | null }): Promise<void>;
}

export function createStaffDirectory(deps: { db: Database; config: PortalConfig; clock: Clock; cacheMs?: number }): StaffDirectory {
  const emails = new Map<string, { email: string | null; at: number }>();
  const cacheMs = deps.cacheMs ?? EMAIL_CACHE_MS;

  /** The Slack user's confirmed email (users:read.email), or null for bots, deleted users and unconfirmed addresses. */
  async function emailOf(client: webApi.WebClient, slackUserId: string): Promise<string | null> {
    const cached = emails.get(slackUserId);
    if (cached && Date.now() - cached.at < cacheMs) return cached.email;
    const answer = await client.users.info({ user: slackUserId });
    const user = answer.user;
    const email = user && !user.deleted && !user.is_bot && user.is_email_confirmed !== false ? (user.profile?.email?.trim() || null) : null;
    emails.set(slackUserId, { email, at: Date.now() });
    return email;
  }

  return {
    async resolve(client, slackUserId, level = "edit") {
      const email = await emailOf(client, slackUserId);
      if (!email) return { ok: false, actor: null, reason: "Your Slack account has no confirmed email address, so the portal cannot tell who you are." };
      let found: { viewer: Viewer; actor: Actor };
      try {
        found = await viewerForEmail(deps.db, deps.config, email, "slack");
      } catch (error) {
        if (isAppError(error) && error.code === "not_found") return { ok: false, actor: null, reason: `There is no active operator staff account for ${email}, so you cannot act on requests from Slack.` };
        throw error;
      }
      if (found.viewer.audience !== "operator") return { ok: false, actor: found.actor, reason: "Only operator staff act on requests (UAP-2.4). Provider users make requests in the portal." };
      if (!can(found.viewer, "requests", level)) return { ok: false, actor: found.actor, reason: `Your security role does not let you ${level === "edit" ? "action" : "see"} requests (UAP-4.1).` };
      return { ok: true, ...found };
    },

    async recordRefusal(slackUserId, lookup, attempt) {
      const actor = lookup.actor ?? systemActor("slack", `Slack user ${slackUserId}`);
      await recordAudit(deps.db, actor, deps.clock, {
        action: "slack.action_refused",
        requestId: attempt.requestId ?? null,
        organisationId: attempt.organisationId ?? null,
        detail: { slackUserId, attempted: attempt.action, reason: lookup.reason },
      });
    },
  };
}

/** A refusal found by a use case after the lookup (e.g. forbidden), as a lookup result. */
export function refusalFromError(error: AppError, actor: Actor): Extract<StaffLookup, { ok: false }> {
  return { ok: false, actor, reason: error.userMessage };
}
