import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { approveRequest } from "../../../../lib/requests/approve-request";
import { decodeActionValue } from "../../../../lib/slack/action-value";
import { slackApprovalBlocker } from "../../../../lib/slack/rules";
import { AppError } from "../../../../lib/errors";
import { ACTION_IDS } from "../../blocks/request-message";
import type { BotContext } from "../../context";
import { loadRequestDetail } from "../../sync/request-view";
import { takeRequest } from "../../take-request";
import { actAsStaff, reply } from "../respond";

/**
 * Approve: takes the request as far as "in progress" for the person clicking (if it is not
 * there yet) and approves it through approveRequest — the account change, the emails and the
 * audit events in one transaction, exactly as from the portal (UAP-2.4, UAP-4.1). A change of
 * Lead correspondent without both confirmations (UAP-A.3), or an emailed request whose sender
 * did not check out (UAP-A.8), is refused before anything is done.
 */
export function approveListener(ctx: BotContext) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const target = { client, userId: body.user.id, channelId: body.channel?.id ?? null };
    const value = decodeActionValue(action.value);
    if (!value) return reply(target, "This button is out of date. Open the request in the portal.");
    await actAsStaff(ctx, target, { action: "approve", requestId: value.requestId }, async (base) => {
      const detail = await loadRequestDetail(ctx.db, ctx.clock, ctx.config, value.requestId);
      const blocker = slackApprovalBlocker({ type: detail.request.type, leadConfirmations: detail.leadConfirmations, relatedSystems: undefined, sender: detail.sender }, ctx.config);
      if (blocker) throw new AppError("refused", `${detail.request.reference}: approval from Slack refused`, blocker);
      const taken = await takeRequest(base, detail, value.version, "in_progress");
      await approveRequest({ ...base, expectedVersion: taken.version, baseUrl: ctx.baseUrl });
      return `${detail.request.reference} approved: ${detail.request.title}.`;
    });
  };
}

export function register(app: App, ctx: BotContext): void {
  app.action<BlockButtonAction>(ACTION_IDS.approve, approveListener(ctx));
}
