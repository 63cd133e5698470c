import type { App } from "@slack/bolt";
import type { BotContext } from "../context";
import * as approve from "./actions/approve";
import * as assignToMe from "./actions/assign-to-me";
import * as openInPortal from "./actions/open-in-portal";
import * as reject from "./actions/reject";
import * as appHomeOpened from "./events/app-home-opened";
import * as rejectReason from "./views/reject-reason";

/** The registry: every listener the bot has, each registered by its own file. */
export function registerListeners(app: App, ctx: BotContext): void {
  approve.register(app, ctx);
  reject.register(app, ctx);
  assignToMe.register(app, ctx);
  openInPortal.register(app);
  rejectReason.register(app, ctx);
  appHomeOpened.register(app, ctx);
}
