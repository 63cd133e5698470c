import type { types } from "@slack/bolt";
import { encodeActionValue } from "../../../lib/slack/action-value";

/** Action ids of the queue message's buttons (listeners/actions/* register one each). */
export const ACTION_IDS = {
  approve: "request_approve",
  reject: "request_reject",
  assignToMe: "request_assign_to_me",
  openInPortal: "request_open_in_portal",
} as const;

/** What a queue message shows: built from the request's read model by sync/request-view.ts. */
export interface RequestMessageView {
  requestId: string;
  reference: string;
  version: number;
  title: string;
  typeLabel: string;
  organisationName: string;
  personName: string;
  requestedRole: string | null;
  dueText: string;
  statusLabel: string;
  priorityLabel: string;
  assigneeName: string | null;
  /** Still waiting for staff: the action buttons show. */
  open: boolean;
  /** A heading line for escalations ("Overdue", "Due today"). */
  alert: string | null;
  warnings: string[];
  /** Who did what last, once actioned: "Approved by Sam Patel (web), 5 May 2026 10:05". */
  outcome: string | null;
  portalUrl: string;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The fallback text (notifications, screen readers) and the blocks of a queue message. */
export function requestMessage(view: RequestMessageView): { text: string; blocks: types.KnownBlock[] } {
  const value = encodeActionValue({ requestId: view.requestId, version: view.version });
  const headline = `${view.alert ? `${view.alert}: ` : ""}${view.reference} ${view.title}`;
  const blocks: types.KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: headline.slice(0, 150), emoji: false } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Type*\n${escape(view.typeLabel)}` },
        { type: "mrkdwn", text: `*Organisation*\n${escape(view.organisationName)}` },
        { type: "mrkdwn", text: `*Person*\n${escape(view.personName)}` },
        { type: "mrkdwn", text: `*Requested role*\n${escape(view.requestedRole ?? "—")}` },
        { type: "mrkdwn", text: `*Due*\n${escape(view.dueText)}` },
        { type: "mrkdwn", text: `*Status*\n${escape(view.statusLabel)} · ${escape(view.priorityLabel)}${view.assigneeName ? ` · ${escape(view.assigneeName)}` : ""}` },
      ],
    },
  ];
  if (view.warnings.length > 0) {
    blocks.push({ type: "section", block_id: "warnings", text: { type: "mrkdwn", text: view.warnings.map((w) => `:warning: ${escape(w)}`).join("\n") } });
  }
  if (view.outcome) {
    blocks.push({ type: "context", block_id: "outcome", elements: [{ type: "mrkdwn", text: escape(view.outcome) }] });
  }
  const openLink: types.Button = { type: "button", action_id: ACTION_IDS.openInPortal, text: { type: "plain_text", text: "Open in portal" }, url: view.portalUrl, value };
  blocks.push({
    type: "actions",
    block_id: "request_actions",
    elements: view.open
      ? [
          { type: "button", action_id: ACTION_IDS.approve, style: "primary", text: { type: "plain_text", text: "Approve" }, value },
          { type: "button", action_id: ACTION_IDS.reject, style: "danger", text: { type: "plain_text", text: "Reject" }, value },
          { type: "button", action_id: ACTION_IDS.assignToMe, text: { type: "plain_text", text: "Assign to me" }, value },
          openLink,
        ]
      : [openLink],
  });
  const text = `${headline} — ${view.organisationName}, ${view.personName}; ${view.statusLabel}${view.outcome ? `. ${view.outcome}` : `, due ${view.dueText}`}`;
  return { text, blocks };
}
