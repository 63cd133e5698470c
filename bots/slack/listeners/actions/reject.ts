import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { decodeActionValue } from "../../../../lib/slack/action-value";
import { formatReference } from "../../../../lib/requests/rules";
import { requests } from "../../../../lib/db/schema/requests";
import { eq } from "drizzle-orm";
import { ACTION_IDS } from "../../blocks/request-message";
import { rejectModal } from "../../blocks/reject-modal";
import type { BotContext } from "../../context";
import { reply } from "../respond";

/**
 * Reject: opens the modal that asks why (views/reject-reason.ts does the rejecting). Someone who
 * may not act is refused, and audited, before the modal opens.
 */
export function rejectListener(ctx: BotContext) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const target = { client, userId: body.user.id, channelId: body.channel?.id ?? null };
    const value = decodeActionValue(action.value);
    if (!value) return reply(target, "This button is out of date. Open the request in the portal.");
    const lookup = await ctx.staff.resolve(client, body.user.id, "edit");
    const [row] = await ctx.db.select({ number: requests.number, organisationId: requests.organisationId }).from(requests).where(eq(requests.id, value.requestId));
    if (!lookup.ok) {
      await ctx.staff.recordRefusal(body.user.id, lookup, { action: "reject", requestId: row ? value.requestId : null, organisationId: row?.organisationId ?? null });
      return reply(target, lookup.reason);
    }
    if (!row) return reply(target, "That request could not be found.");
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(value, formatReference(row.number), { channelId: target.channelId }) });
  };
}

export function register(app: App, ctx: BotContext): void {
  app.action<BlockButtonAction>(ACTION_IDS.reject, rejectListener(ctx));
}
