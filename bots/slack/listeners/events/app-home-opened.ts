import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { listQueue, queueDashboard } from "../../../../lib/requests/queries";
import { formatDueTime, statusLabels } from "../../../../lib/requests/rules";
import { homeView, refusedHomeView } from "../../blocks/home";
import type { BotContext } from "../../context";

/** App Home: the staff member's assigned open requests and the queue's counts, read as them (requests:read). */
export function appHomeOpenedListener(ctx: BotContext) {
  return async ({ event, client }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab && event.tab !== "home") return;
    const lookup = await ctx.staff.resolve(client, event.user, "read");
    if (!lookup.ok) {
      await client.views.publish({ user_id: event.user, view: refusedHomeView(lookup.reason) });
      return;
    }
    const options = { db: ctx.db, clock: ctx.clock, config: ctx.config, viewer: lookup.viewer };
    const [assigned, dashboard] = await Promise.all([listQueue({ ...options, filters: { assigneeId: lookup.viewer.accountId }, pageSize: 50 }), queueDashboard(options)]);
    const timeZone = ctx.config.requests.serviceHours.timeZone;
    await client.views.publish({
      user_id: event.user,
      view: homeView({
        staffName: lookup.viewer.fullName,
        assigned: assigned.rows.map((row) => ({
          reference: row.reference,
          title: row.title,
          statusLabel: statusLabels[row.status],
          dueText: formatDueTime(row.dueAt, timeZone),
          overdue: row.sla === "overdue",
          url: `${ctx.baseUrl}/staff/requests/${row.id}`,
        })),
        counts: { open: dashboard.open, unassigned: dashboard.unassigned, dueToday: dashboard.dueToday, overdue: dashboard.overdue },
        queueUrl: `${ctx.baseUrl}/staff/requests`,
      }),
    });
  };
}

export function register(app: App, ctx: BotContext): void {
  app.event("app_home_opened", appHomeOpenedListener(ctx));
}
