import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTION_IDS } from "../../blocks/request-message";

/** Open in portal is a link: Slack opens it and still tells us of the click, which needs only an ack. */
export async function openInPortalListener({ ack }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> {
  await ack();
}

export function register(app: App): void {
  app.action<BlockButtonAction>(ACTION_IDS.openInPortal, openInPortalListener);
  app.action<BlockButtonAction>("home_open_queue", openInPortalListener);
}
