import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { decodeActionValue } from "../../../../lib/slack/action-value";
import { ACTION_IDS } from "../../blocks/request-message";
import type { BotContext } from "../../context";
import { loadRequestDetail } from "../../sync/request-view";
import { takeRequest } from "../../take-request";
import { actAsStaff, reply } from "../respond";

/** Assign to me (UCP-HD-1): prioritised if it was only received, then assigned to the person clicking. */
export function assignToMeListener(ctx: BotContext) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const target = { client, userId: body.user.id, channelId: body.channel?.id ?? null };
    const value = decodeActionValue(action.value);
    if (!value) return reply(target, "This button is out of date. Open the request in the portal.");
    await actAsStaff(ctx, target, { action: "assign_to_me", requestId: value.requestId }, async (base) => {
      const detail = await loadRequestDetail(ctx.db, ctx.clock, ctx.config, value.requestId);
      await takeRequest(base, detail, value.version, "assigned");
      return `${detail.request.reference} is assigned to you.`;
    });
  };
}

export function register(app: App, ctx: BotContext): void {
  app.action<BlockButtonAction>(ACTION_IDS.assignToMe, assignToMeListener(ctx));
}
