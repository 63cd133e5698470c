import { tz } from "@date-fns/tz";
import { endOfDay, format, startOfDay } from "date-fns";
import type { PortalConfig } from "../config/schema";
import type { requestPriorities, requestStatuses, requestTypes } from "../db/schema/requests";

/**
 * The request domain's pure decisions: the ticket lifecycle (UCP-HD-1), what each staff action
 * needs, default priorities (CC-7g), titles (CC-4), references, the related-systems checklist
 * (UAP-A.2b), Lead-change confirmations (UAP-A.3), purpose screening (CC-2b) and licence
 * arithmetic (CC-2a). No database, no clock of its own: unit-tested as they are.
 */

export type RequestType = (typeof requestTypes)[number];
export type RequestStatus = (typeof requestStatuses)[number];
export type RequestPriority = (typeof requestPriorities)[number];

export const typeLabels: Record<RequestType, string> = {
  new_user: "New user",
  role_change: "Role change",
  suspension: "Suspension",
  reinstatement: "Reinstatement",
  end_date_change: "End date change",
  lead_change: "Lead correspondent change",
};

export const statusLabels: Record<RequestStatus, string> = {
  received: "Received",
  prioritised: "Prioritised",
  assigned: "Assigned",
  in_progress: "In progress",
  resolved: "Resolved",
  rejected: "Rejected",
  closed: "Closed",
  archived: "Archived",
};

export const priorityLabels: Record<RequestPriority, string> = { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" };

/** Lower is more pressing: the queue's priority order. */
export const priorityRank: Record<RequestPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Still waiting for staff to act: these count against the SLA (CC-5). */
export const openStatuses = ["received", "prioritised", "assigned", "in_progress"] as const satisfies readonly RequestStatus[];
/** Actioned one way or the other; the SLA record counts these. */
export const actionedStatuses = ["resolved", "rejected", "closed", "archived"] as const satisfies readonly RequestStatus[];

export function isOpen(status: RequestStatus): boolean {
  return (openStatuses as readonly RequestStatus[]).includes(status);
}

/**
 * UCP-HD-1: received → prioritised → assigned → in_progress → resolved | rejected → closed →
 * archived. A ticket may be reassigned while assigned or in progress (back to assigned, for the
 * new assignee to start), and rejected from any open status (a request can be refused as soon
 * as it is read). Nothing leaves archived.
 */
export const lifecycle: Record<RequestStatus, readonly RequestStatus[]> = {
  received: ["prioritised", "rejected"],
  prioritised: ["assigned", "rejected"],
  assigned: ["assigned", "in_progress", "rejected"],
  in_progress: ["assigned", "resolved", "rejected"],
  resolved: ["closed"],
  rejected: ["closed"],
  closed: ["archived"],
  archived: [],
};

/** How far along the lifecycle a status is (resolved and rejected are level). */
export const statusOrder: Record<RequestStatus, number> = {
  received: 0,
  prioritised: 1,
  assigned: 2,
  in_progress: 3,
  resolved: 4,
  rejected: 4,
  closed: 5,
  archived: 6,
};

/** True when the request has moved past every status the action is allowed from: someone acted first. */
export function isPastAction(action: StaffAction, status: RequestStatus): boolean {
  return actionRules[action].from.every((from) => statusOrder[status] > statusOrder[from]);
}

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return lifecycle[from].includes(to);
}

/** What operator staff can do to a request. */
export const staffActions = [
  "prioritise",
  "assign",
  "start",
  "approve",
  "reject",
  "record_confirmation",
  "confirm_sender",
  "tick_related_system",
  "close",
  "archive",
  "note",
] as const;
export type StaffAction = (typeof staffActions)[number];

/** From which statuses an action may be taken, and the status it leaves the request in. */
export const actionRules: Record<StaffAction, { from: readonly RequestStatus[]; to: (from: RequestStatus) => RequestStatus }> = {
  // Re-prioritising an open ticket changes its priority, not its place in the lifecycle.
  prioritise: { from: openStatuses, to: (from) => (from === "received" ? "prioritised" : from) },
  assign: { from: ["prioritised", "assigned", "in_progress"], to: () => "assigned" },
  start: { from: ["assigned"], to: () => "in_progress" },
  approve: { from: ["in_progress"], to: () => "resolved" },
  reject: { from: openStatuses, to: () => "rejected" },
  record_confirmation: { from: openStatuses, to: (from) => from },
  confirm_sender: { from: openStatuses, to: (from) => from },
  // Mirroring on other systems may be done while the change is made or just after it.
  tick_related_system: { from: ["in_progress", "resolved"], to: (from) => from },
  close: { from: ["resolved", "rejected"], to: () => "closed" },
  archive: { from: ["closed"], to: () => "archived" },
  note: { from: ["received", "prioritised", "assigned", "in_progress", "resolved", "rejected", "closed"], to: (from) => from },
};

/** What a rule needs to see of a request. */
export interface RequestFacts {
  type: RequestType;
  status: RequestStatus;
  leadConfirmations?: LeadConfirmations;
  relatedSystems?: Record<string, unknown>;
  /** For a request that arrived by email: what its sender looked like (UAP-A.8). */
  sender?: SenderCheckFacts | null;
}

/** The part of a request's sender evidence the rules read (lib/requests/schema.ts SenderEvidence). */
export interface SenderCheckFacts {
  authenticated: boolean;
  emailMatchesAccount?: boolean;
  nameMatchesAccount?: boolean;
  confirmation?: unknown;
}

/**
 * UAP-A.8: an emailed request whose sender failed authentication (SPF/DKIM/DMARC), or whose
 * address or name does not match the account it speaks for, is queued like any other — but
 * nothing is applied until a member of staff has checked the evidence and confirmed the sender.
 */
export function senderNeedsCheck(sender: SenderCheckFacts | null | undefined): boolean {
  if (!sender) return false;
  return !sender.authenticated || sender.emailMatchesAccount === false || sender.nameMatchesAccount === false;
}

export function senderUnconfirmed(sender: SenderCheckFacts | null | undefined): boolean {
  return senderNeedsCheck(sender) && !sender!.confirmation;
}

/**
 * Allowed, with the status it leads to; or refused, with a sentence saying why. `blockedBy`
 * tells a status that no longer allows it (someone else acted first) from a rule still unmet.
 */
export type ActionCheck = { ok: true; to: RequestStatus } | { ok: false; reason: string; blockedBy: "status" | "rule" };

const actionWords: Record<StaffAction, string> = {
  prioritise: "prioritised",
  assign: "assigned",
  start: "started",
  approve: "approved",
  reject: "rejected",
  record_confirmation: "have a confirmation recorded",
  confirm_sender: "have its sender confirmed",
  tick_related_system: "have related systems ticked off",
  close: "closed",
  archive: "archived",
  note: "have notes added",
};

/**
 * Whether staff may take an action on a request now, and the status it moves to; when not, a
 * sentence saying why (shown to staff and used as the AppError's message).
 */
export function checkAction(action: StaffAction, request: RequestFacts, config: Pick<PortalConfig, "requests">): ActionCheck {
  const rule = actionRules[action];
  if (!rule.from.includes(request.status)) {
    return { ok: false, blockedBy: "status", reason: `A request that is ${statusLabels[request.status].toLowerCase()} cannot be ${actionWords[action]}.` };
  }
  if (action === "record_confirmation" && request.type !== "lead_change") {
    return { ok: false, blockedBy: "rule", reason: "Only a change of Lead correspondent needs telephone and email confirmations." };
  }
  if (action === "confirm_sender") {
    if (!senderNeedsCheck(request.sender)) return { ok: false, blockedBy: "rule", reason: "Only a request by email whose sender did not check out needs the sender confirmed." };
    if (request.sender!.confirmation) return { ok: false, blockedBy: "rule", reason: "The sender is already confirmed." };
  }
  if (action === "approve" && senderUnconfirmed(request.sender)) {
    return { ok: false, blockedBy: "rule", reason: "Confirm the sender before approving: this request came by email from a sender that did not pass the checks (UAP-A.8)." };
  }
  if (action === "tick_related_system" && relatedSystemsFor(request.type, config).length === 0) {
    return { ok: false, blockedBy: "rule", reason: `A ${typeLabels[request.type].toLowerCase()} request has no related systems to update.` };
  }
  if (action === "approve" && request.type === "lead_change") {
    const missing = missingLeadConfirmations(request.leadConfirmations);
    if (missing.length > 0) {
      return { ok: false, blockedBy: "rule", reason: `Record the ${missing.join(" and ")} confirmation${missing.length > 1 ? "s" : ""} of the change of Lead correspondent before making it (UAP-A.3).` };
    }
  }
  if (action === "close" && request.status === "resolved") {
    const outstanding = outstandingRelatedSystems(request.type, request.relatedSystems, config);
    if (outstanding.length > 0) {
      return { ok: false, blockedBy: "rule", reason: `Update the related systems before closing the request: ${outstanding.map((s) => s.name).join(", ")} (UAP-A.2b).` };
    }
  }
  return { ok: true, to: rule.to(request.status) };
}

/** Every staff action with whether it can be taken now: the detail page's buttons. */
export function availableActions(request: RequestFacts, config: Pick<PortalConfig, "requests">): { action: StaffAction; check: ActionCheck }[] {
  return staffActions.map((action) => ({ action, check: checkAction(action, request, config) }));
}

/** Details that decide a request's default priority. */
export interface PriorityFacts {
  type: RequestType;
  reason?: string;
}

/**
 * The priority a request starts with. Leavers are removed without delay (CC-7g): a leaver's
 * suspension is urgent, any other suspension high. A change of Lead correspondent is high, as
 * the organisation's requests wait on it. Everything else is normal; staff may change it.
 */
export function defaultPriority(request: PriorityFacts): RequestPriority {
  if (request.type === "suspension") return request.reason === "leaver" ? "urgent" : "high";
  if (request.type === "lead_change") return "high";
  return "normal";
}

/** Urgent requests are due within one working day; the rest within the configured SLA (CC-5). */
export function slaWorkingDaysFor(priority: RequestPriority, requests: Pick<PortalConfig["requests"], "slaWorkingDays">): number {
  return priority === "urgent" ? Math.min(1, requests.slaWorkingDays) : requests.slaWorkingDays;
}

/** CC-4: the title names the type and the user's full name, e.g. "New user – Jane Doe". */
export function requestTitle(type: RequestType, fullName: string): string {
  return `${typeLabels[type]} – ${fullName.trim().replace(/\s+/g, " ")}`;
}

/** REQ-000123: the reference people quote in emails, Slack and on the telephone. */
export function formatReference(number: number): string {
  return `REQ-${String(number).padStart(6, "0")}`;
}

/** The number a reference names ("REQ-000123", "req-123", "123"), or null. */
export function parseReference(text: string): number | null {
  const match = /^\s*(?:req-?)?0*(\d{1,15})\s*$/i.exec(text);
  if (!match) return null;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export type RelatedSystem = PortalConfig["requests"]["relatedSystems"][number];

/** UAP-A.2b: the systems a request of this type must be mirrored on (from configuration). */
export function relatedSystemsFor(type: RequestType, config: Pick<PortalConfig, "requests">): RelatedSystem[] {
  return config.requests.relatedSystems.filter((system) => system.appliesTo.includes(type));
}

/** Whether a request of this type carries the related-systems checklist. */
export function needsRelatedSystemsChecklist(type: RequestType, config: Pick<PortalConfig, "requests">): boolean {
  return relatedSystemsFor(type, config).length > 0;
}

/** The related systems not yet ticked off; closing a resolved request waits for none (UAP-A.2b). */
export function outstandingRelatedSystems(type: RequestType, ticked: Record<string, unknown> | undefined, config: Pick<PortalConfig, "requests">): RelatedSystem[] {
  return relatedSystemsFor(type, config).filter((system) => !ticked?.[system.key]);
}

export const confirmationMethods = ["telephone", "email"] as const;
export type ConfirmationMethod = (typeof confirmationMethods)[number];
export type LeadConfirmations = Partial<Record<ConfirmationMethod, unknown>>;

/** UAP-A.3: a Lead correspondent change is made only once both confirmations are recorded. */
export function missingLeadConfirmations(confirmations: LeadConfirmations | undefined): ConfirmationMethod[] {
  return confirmationMethods.filter((method) => !confirmations?.[method]);
}

/**
 * CC-2b: the configured term a stated purpose mentions, or null. Terms match at the start of a
 * word, ignoring case and spacing, so "research", "Researchers" and "clinical  research" are all
 * caught; "audit study" must appear as those words.
 */
export function refusedPurposeTerm(purpose: string, terms: readonly string[]): string | null {
  const text = purpose.toLowerCase().replace(/\s+/g, " ");
  for (const term of terms) {
    const words = term.trim().toLowerCase().split(/\s+/).filter(Boolean).map(escapeRegExp);
    if (words.length === 0) continue;
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${words.join("[\\s\\-]+")}`, "u").test(text)) return term;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface LicenceUse {
  allocation: number;
  /** Licences held (accounts not suspended) plus new-user requests still open. */
  used: number;
}

/** CC-2a: room for one more? */
export function licenceAvailable(use: LicenceUse): boolean {
  return use.used < use.allocation;
}

/**
 * CC-2a: whether this use of licences crosses the alert threshold for the first time this year
 * (the allocation row remembers the highest percentage already alerted).
 */
export function licenceAlertDue(use: LicenceUse, thresholdPercent: number, alreadyAlertedPercent: number | null): boolean {
  if (use.allocation <= 0) return false;
  const percent = (use.used / use.allocation) * 100;
  return percent >= thresholdPercent && (alreadyAlertedPercent ?? 0) < thresholdPercent;
}

/** Whether a request was actioned by its due time (CC-5), for the SLA record. */
export function slaOutcome(dueAt: Date, actionedAt: Date): "within" | "late" {
  return actionedAt.getTime() <= dueAt.getTime() ? "within" : "late";
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the service's time zone. */
export function serviceDay(at: Date, timeZone: string): string {
  return format(at, "yyyy-MM-dd", { in: tz(timeZone) });
}

/** The first and last instants of the service day containing `at` (for "due today"). */
export function serviceDayBounds(at: Date, timeZone: string): { start: Date; end: Date } {
  return { start: new Date(startOfDay(at, { in: tz(timeZone) }).getTime()), end: new Date(endOfDay(at, { in: tz(timeZone) }).getTime()) };
}

/** A due time as people read it: "Monday 11 May 2026 at 10:00". */
export function formatDueTime(at: Date, timeZone: string): string {
  return format(at, "EEEE d MMMM yyyy 'at' HH:mm", { in: tz(timeZone) });
}
