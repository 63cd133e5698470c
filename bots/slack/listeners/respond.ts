import type { webApi } from "@slack/bolt";
import { eq } from "drizzle-orm";
import { requests } from "../../../lib/db/schema/requests";
import { isAppError } from "../../../lib/errors";
import type { StaffActionOptions } from "../../../lib/requests/staff-action";
import type { BotContext } from "../context";
import { replyForError } from "../errors";
import { refusalFromError } from "../staff";

/** Where a reply goes: an ephemeral message in the channel clicked in, or a direct message. */
export interface ReplyTarget {
  client: webApi.WebClient;
  userId: string;
  channelId: string | null;
}

export async function reply(target: ReplyTarget, text: string): Promise<void> {
  if (target.channelId) await target.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, text });
  else await target.client.chat.postMessage({ channel: target.userId, text });
}

export interface StaffAttempt {
  /** The attempt's name in the audit log when refused: approve, reject, assign_to_me … */
  action: string;
  requestId: string;
}

export interface ActHooks {
  /** Runs once the outcome is known and before any reply: a modal's ack, which Slack wants within 3 s. */
  settle?: () => Promise<void>;
  /** Handles an error itself (true) instead of the ephemeral reply: a modal shows field errors. */
  handleError?: (error: unknown) => Promise<boolean>;
}

/**
 * The thin wrapper every Slack action goes through (as the web's requireAccess): who is this
 * Slack user in the portal, may they act (refused and audited if not), run the use case as them
 * with channel "slack", map its errors to an ephemeral reply, and bring the channel's messages
 * up to date. Returns the error, if any, for callers that answer a modal.
 */
export async function actAsStaff(
  ctx: BotContext,
  target: ReplyTarget,
  attempt: StaffAttempt,
  work: (base: Omit<StaffActionOptions, "expectedVersion">) => Promise<string>,
  hooks: ActHooks = {},
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  const settle = hooks.settle ?? (async () => undefined);
  const refuse = async (lookup: Parameters<BotContext["staff"]["recordRefusal"]>[1]) => {
    const [row] = await ctx.db.select({ organisationId: requests.organisationId }).from(requests).where(eq(requests.id, attempt.requestId));
    await ctx.staff.recordRefusal(target.userId, lookup, { action: attempt.action, requestId: row ? attempt.requestId : null, organisationId: row?.organisationId ?? null });
    await reply(target, lookup.reason);
  };
  const lookup = await ctx.staff.resolve(target.client, target.userId, "edit");
  if (!lookup.ok) {
    await settle();
    await refuse(lookup);
    return { ok: false, error: new Error(lookup.reason) };
  }
  try {
    const done = await work({ db: ctx.db, actor: lookup.actor, clock: ctx.clock, config: ctx.config, viewer: lookup.viewer, requestId: attempt.requestId });
    await settle();
    await ctx.sync.runOnce();
    await reply(target, done);
    return { ok: true };
  } catch (error) {
    if (hooks.handleError && (await hooks.handleError(error))) return { ok: false, error };
    await settle();
    if (isAppError(error) && error.code === "forbidden") await refuse(refusalFromError(error, lookup.actor));
    else await reply(target, replyForError(error, (e) => console.error("[slack] action failed", e)));
    // Whatever the outcome, the message should show where the request stands now.
    await ctx.sync.runOnce();
    return { ok: false, error };
  }
}
