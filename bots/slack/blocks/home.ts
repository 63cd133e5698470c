import type { types } from "@slack/bolt";

export interface HomeView {
  staffName: string;
  assigned: { reference: string; title: string; statusLabel: string; dueText: string; overdue: boolean; url: string }[];
  counts: { open: number; unassigned: number; dueToday: number; overdue: number };
  queueUrl: string;
}

/** App Home: the staff member's assigned requests and the queue's counts. */
export function homeView(view: HomeView): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Requests" } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Open*\n${view.counts.open}` },
        { type: "mrkdwn", text: `*Unassigned*\n${view.counts.unassigned}` },
        { type: "mrkdwn", text: `*Due today*\n${view.counts.dueToday}` },
        { type: "mrkdwn", text: `*Overdue*\n${view.counts.overdue}` },
      ],
    },
    { type: "actions", elements: [{ type: "button", action_id: "home_open_queue", text: { type: "plain_text", text: "Open the queue" }, url: view.queueUrl }] },
    { type: "divider" },
    { type: "section", text: { type: "mrkdwn", text: `*Assigned to you, ${view.staffName}*` } },
  ];
  if (view.assigned.length === 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: "Nothing is assigned to you." }] });
  for (const row of view.assigned) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*<${row.url}|${row.reference}>* ${row.title}\n${row.statusLabel} · due ${row.dueText}${row.overdue ? " · :warning: overdue" : ""}` },
    });
  }
  return { type: "home", blocks };
}

/** What someone who is not operator staff sees on the Home tab. */
export function refusedHomeView(reason: string): types.HomeView {
  return { type: "home", blocks: [{ type: "section", text: { type: "plain_text", text: reason } }] };
}
