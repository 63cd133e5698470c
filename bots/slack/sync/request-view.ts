import type { Clock } from "../../../lib/clock";
import type { PortalConfig } from "../../../lib/config";
import type { Executor } from "../../../lib/db/types";
import { licenceUse, licenceYear } from "../../../lib/requests/licences";
import { getRequestDetail, type HistoryEntry, type RequestDetail } from "../../../lib/requests/queries";
import { formatDueTime, isOpen, priorityLabels, statusLabels } from "../../../lib/requests/rules";
import { requestWarnings } from "../../../lib/slack/rules";
import type { RequestMessageView } from "../blocks/request-message";

/**
 * The bot reads requests as a staff reader would (requests:read), never as any one person: it
 * posts to a channel of operator staff. It holds no account, so it can never act.
 */
export const BOT_READER = { accountId: "00000000-0000-0000-0000-000000000000", audience: "operator", grants: { requests: "read" }, organisationId: "" } as const;

const stepWords: Record<string, string> = {
  "request.submitted": "Submitted",
  "request.prioritised": "Prioritised",
  "request.assigned": "Assigned",
  "request.started": "Started",
  "request.resolved": "Approved",
  "request.rejected": "Rejected",
  "request.closed": "Closed",
  "request.archived": "Archived",
};

/** Who did the last step, and how: the message's outcome line, whichever channel acted. */
export function outcomeLine(history: HistoryEntry[], timeZone: string, resolution: string | null): string | null {
  const last = [...history].reverse().find((entry) => entry.action in stepWords && entry.action !== "request.submitted");
  if (!last) return null;
  const reason = last.action === "request.rejected" && resolution ? `: “${resolution}”` : "";
  return `${stepWords[last.action]} by ${last.actorLabel} (${last.channel}), ${formatDueTime(last.occurredAt, timeZone)}${reason}`;
}

export async function loadRequestDetail(db: Executor, clock: Clock, config: PortalConfig, requestId: string): Promise<RequestDetail> {
  return getRequestDetail({ db, clock, config, viewer: { ...BOT_READER, grants: { ...BOT_READER.grants } }, requestId });
}

function personOf(detail: RequestDetail): string {
  const details = detail.details as Record<string, unknown>;
  if (detail.subject) return detail.subject.fullName;
  if (typeof details.fullName === "string" && details.fullName) return details.fullName;
  return detail.request.title;
}

function requestedRoleOf(detail: RequestDetail, config: PortalConfig): string | null {
  const details = detail.details as Record<string, unknown>;
  const keys = Array.isArray(details.roleKeys) ? (details.roleKeys as string[]) : detail.request.type === "lead_change" ? [config.leadRoleKey] : [];
  if (keys.length === 0) return null;
  return keys.map((key) => config.securityRoles.find((r) => r.key === key)?.name ?? key).join(", ");
}

/** Everything a queue message shows about one request, read afresh. */
export async function requestMessageView(db: Executor, clock: Clock, config: PortalConfig, baseUrl: string, requestId: string, alert: string | null = null): Promise<RequestMessageView> {
  const detail = await loadRequestDetail(db, clock, config, requestId);
  const { request } = detail;
  const timeZone = config.requests.serviceHours.timeZone;
  const open = isOpen(request.status);
  // CC-2a: only a request that would take a licence warns about the allocation.
  const takesLicence = open && (request.type === "new_user" || request.type === "reinstatement");
  const licence = takesLicence ? await licenceUse(db, config, request.organisationId, licenceYear(clock.now())) : null;
  return {
    requestId: request.id,
    reference: request.reference,
    version: request.version,
    title: request.title,
    typeLabel: request.typeLabel,
    organisationName: detail.organisation.name,
    personName: personOf(detail),
    requestedRole: requestedRoleOf(detail, config),
    dueText: formatDueTime(request.dueAt, timeZone),
    statusLabel: statusLabels[request.status],
    priorityLabel: priorityLabels[request.priority],
    assigneeName: detail.assignee?.fullName ?? null,
    open,
    alert: open ? alert : null,
    warnings: open
      ? requestWarnings({
          sender: detail.sender,
          missingConfirmations: detail.missingConfirmations,
          licence,
          licenceAlertThresholdPercent: config.licences.alertThresholdPercent,
          emailAttested: !!detail.emailAttestation,
        })
      : [],
    outcome: outcomeLine(detail.history, timeZone, request.resolution),
    portalUrl: `${baseUrl}/staff/requests/${request.id}`,
  };
}
