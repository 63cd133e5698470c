import type { HistoryEntry } from "@/lib/requests/queries";
import { formatDateTime } from "../_lib/format-time";

/** A request's history from the audit log, oldest first. */
export function RequestHistory({ history }: { history: HistoryEntry[] }) {
  if (history.length === 0) return <p className="govuk-body">Nothing has happened to this request yet.</p>;
  return (
    <ol className="govuk-list portal-timeline" data-testid="request-history">
      {history.map((h) => (
        <li key={h.seq} className="govuk-!-margin-bottom-3">
          <span className="govuk-!-font-weight-bold">{describe(h.action)}</span>
          <br />
          <span className="govuk-body-s">
            {formatDateTime(h.occurredAt)} · {h.actorLabel} · {h.channel}
          </span>
        </li>
      ))}
    </ol>
  );
}

const words: Record<string, string> = {
  "request.submitted": "Request received",
  "request.prioritised": "Prioritised",
  "request.assigned": "Assigned",
  "request.started": "Work started",
  "request.approved": "Approved and applied",
  "request.resolved": "Resolved",
  "request.rejected": "Rejected",
  "request.closed": "Closed",
  "request.archived": "Archived",
  "request.note_added": "Internal note added",
  "request.lead_confirmation_recorded": "Confirmation recorded",
  "request.related_system_ticked": "Related system updated",
};

function describe(action: string): string {
  return words[action] ?? action.replace(/^[a-z_]+\./, "").replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}
