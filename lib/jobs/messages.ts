import { createHash } from "node:crypto";
import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";
import { formatDueTime } from "../requests/rules";
import { formatDay, formatInstantDay } from "./rules";

/**
 * The jobs' emails. Plain text, no secrets; each carries an idempotency key naming its
 * occurrence, so the same notice is never queued twice even outside job_notices.
 */

interface Account {
  id: string;
  fullName: string;
  email: string;
}

function signOff(config: PortalConfig): string[] {
  return ["", `${config.operator.teamName}, ${config.operator.name}`, `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`];
}

function zone(config: PortalConfig): string {
  return config.requests.serviceHours.timeZone;
}

/** UAP-4.3b: sign in before the deadline, or the account is suspended. */
export function inactivityWarningMessage(config: PortalConfig, baseUrl: string, account: Account, idleSinceKey: string, deadline: Date): OutboundMessage {
  const day = formatInstantDay(deadline, zone(config));
  return {
    kind: "inactivity_warning",
    to: [account.email],
    subject: `Sign in by ${day} to keep your ${config.operator.shortName} account`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `You have not signed in to ${config.operator.shortName} for a while. Accounts not used for ${config.accounts.inactivityDays} days are suspended, as the access policy requires.`,
      "",
      `To keep your account, sign in before ${day}: ${baseUrl}/sign-in`,
      "",
      "If you no longer need access, you need do nothing: the account will be suspended, never deleted, and can be reinstated on request.",
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `inactivity_warning:${account.id}:${idleSinceKey}`,
  };
}

/** UAP-4.3b: suspended for inactivity; how to have it reinstated (UAP-4.3c, UAP-A.8). */
export function inactivitySuspensionMessage(config: PortalConfig, account: Account, cc: string[], suspendedAt: Date): OutboundMessage {
  return {
    kind: "inactivity_suspended",
    to: [account.email],
    cc,
    subject: `Your ${config.operator.shortName} account has been suspended`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `Your ${config.operator.shortName} account was suspended on ${formatInstantDay(suspendedAt, zone(config))} because it had not been used for ${config.accounts.inactivityDays} days.`,
      "",
      `Your account has not been deleted. To have it reinstated, email ${config.operator.mailbox} from this email address, or ask your Lead correspondent to request it.`,
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `inactivity_suspended:${account.id}:${suspendedAt.toISOString()}`,
  };
}

/** CC-7c: the account ends soon; the Lead correspondent can ask for an extension. */
export function endDateWarningMessage(config: PortalConfig, baseUrl: string, account: Account, cc: string[], endDate: string): OutboundMessage {
  const day = formatDay(endDate);
  return {
    kind: "end_date_warning",
    to: [account.email],
    cc,
    subject: `${account.fullName}'s ${config.operator.shortName} account ends on ${day}`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `Your ${config.operator.shortName} account has an end date of ${day}. On that day it will be suspended automatically.`,
      "",
      "If you still need access after then, your Lead correspondent can ask for the end date to be extended:",
      `${baseUrl}/portal/requests/new/end_date_change?account=${account.id}`,
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `end_date_warning:${account.id}:${endDate}`,
  };
}

/** CC-7c: suspended on the end date. */
export function endDateSuspensionMessage(config: PortalConfig, account: Account, cc: string[], endDate: string): OutboundMessage {
  return {
    kind: "end_date_suspended",
    to: [account.email],
    cc,
    subject: `${account.fullName}'s ${config.operator.shortName} account has ended`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `Your ${config.operator.shortName} account reached its end date (${formatDay(endDate)}) and has been suspended.`,
      "",
      "If access is still needed, your Lead correspondent can ask for the account to be reinstated with a new end date.",
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `end_date_suspended:${account.id}:${endDate}`,
  };
}

/** CC-7f: information governance training has expired. */
export function trainingExpiredMessage(config: PortalConfig, account: Account, cc: string[], trainedOn: string, expiredOn: string): OutboundMessage {
  return {
    kind: "training_expired",
    to: [account.email],
    cc,
    subject: `${account.fullName}: information governance training has expired`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `Our records show your information governance training was completed on ${formatDay(trainedOn)}. Training is valid for ${config.accounts.igTrainingValidityMonths} months, so it expired on ${formatDay(expiredOn)}.`,
      "",
      "Please complete the training again, and ask your Lead correspondent to let us know the new date.",
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `training_expired:${account.id}:${trainedOn}`,
  };
}

export interface EscalatedRequest {
  id: string;
  reference: string;
  title: string;
  organisationName: string;
  dueAt: Date;
  assignee: string | null;
}

/** An escalation email lists this many requests; the queue link shows the rest. */
const LISTED_AT_MOST = 100;

/** CC-5: requests due today, or past their due time, escalated to the team leads in one email a state. */
export function slaEscalationMessage(config: PortalConfig, baseUrl: string, state: "due_today" | "overdue", requests: EscalatedRequest[], to: string[], at: Date): OutboundMessage {
  const n = requests.length;
  const subject =
    state === "overdue"
      ? `${n} request${n === 1 ? " is" : "s are"} past the ${config.requests.slaWorkingDays}-working-day service level`
      : `${n} request${n === 1 ? " is" : "s are"} due today`;
  return {
    kind: state === "overdue" ? "sla_overdue" : "sla_due_today",
    to,
    subject,
    text: [
      "Dear team lead,",
      "",
      state === "overdue"
        ? "These requests have passed their due time without being actioned:"
        : "These requests are due by the end of today and have not been actioned yet:",
      "",
      ...requests.slice(0, LISTED_AT_MOST).map(
        (r) =>
          `${r.reference} — ${r.title} (${r.organisationName}), due ${formatDueTime(r.dueAt, zone(config))}, ${r.assignee ? `assigned to ${r.assignee}` : "not assigned"}: ${baseUrl}/staff/requests/${r.id}`,
      ),
      ...(n > LISTED_AT_MOST ? [`… and ${n - LISTED_AT_MOST} more.`] : []),
      "",
      `The queue: ${baseUrl}/staff/requests?due=${state === "overdue" ? "overdue" : "today"}`,
      ...signOff(config),
    ].join("\n"),
    requestId: n === 1 ? requests[0]!.id : null,
    idempotencyKey: `${state === "overdue" ? "sla_overdue" : "sla_due_today"}:${at.toISOString()}:${createHash("sha256").update(requests.map((r) => r.id).join(",")).digest("hex")}`,
  };
}
