import type { PortalConfig } from "../config";
import type { OutboundMessage } from "../mail/enqueue-message";

/**
 * The emails of the quarterly review (UAP-4.2): the review opened (to the organisation's Lead
 * correspondents, with the link), reminders before the due date, and the overdue escalation to
 * the operator's team. Plain text. Each has an idempotency key naming the review and the
 * occurrence, so a job run twice never queues one twice.
 */

const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" });
const longDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "Tuesday 30 June 2026" for a calendar day (en-GB would put a comma after the weekday). */
export function formatReviewDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${weekday.format(date)} ${longDate.format(date)}`;
}

export function reviewLink(baseUrl: string, reviewId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/portal/reviews/${reviewId}`;
}

export function staffReviewLink(baseUrl: string, reviewId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/staff/reviews/${reviewId}`;
}

function signOff(config: PortalConfig): string[] {
  return ["", `${config.operator.teamName}, ${config.operator.name}`, `${config.operator.mailbox}${config.operator.telephone ? ` · ${config.operator.telephone}` : ""}`];
}

function greeting(leads: { fullName: string }[]): string {
  return leads.length === 1 ? `Dear ${leads[0]!.fullName},` : "Dear Lead correspondent,";
}

export interface ReviewMessageFacts {
  reviewId: string;
  organisationName: string;
  periodLabel: string;
  dueOn: string;
}

export function reviewOpenedMessage(config: PortalConfig, baseUrl: string, review: ReviewMessageFacts & { accounts: number }, leads: { fullName: string; email: string }[]): OutboundMessage {
  return {
    kind: "review_opened",
    to: leads.map((l) => l.email),
    subject: `Quarterly review of your portal users: ${review.periodLabel}`,
    text: [
      greeting(leads),
      "",
      `It is time for ${review.organisationName}'s quarterly review of who can use the ${config.operator.shortName}.`,
      `For each of the ${review.accounts} ${review.accounts === 1 ? "account" : "accounts"} listed, tell us whether to keep it, change its security role or suspend it, then sign the review off by ${formatReviewDate(review.dueOn)}:`,
      "",
      reviewLink(baseUrl, review.reviewId),
      "",
      "Changes of role and suspensions you choose are sent to us as requests, as if you had asked for each one.",
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `review_opened:${review.reviewId}`,
  };
}

export function reviewReminderMessage(
  config: PortalConfig,
  baseUrl: string,
  review: ReviewMessageFacts & { undecided: number; total: number; daysBefore: number },
  leads: { fullName: string; email: string }[],
): OutboundMessage {
  const left = review.undecided === 0 ? "Every account has a decision: the review only needs signing off." : `${review.undecided} of the ${review.total} accounts still need a decision.`;
  return {
    kind: "review_reminder",
    to: leads.map((l) => l.email),
    subject: `Reminder: quarterly review of your portal users due ${formatReviewDate(review.dueOn)}`,
    text: [
      greeting(leads),
      "",
      `${review.organisationName}'s quarterly review of portal users (${review.periodLabel}) is due by ${formatReviewDate(review.dueOn)}.`,
      left,
      "",
      reviewLink(baseUrl, review.reviewId),
      "",
      `If it is not signed off by then, ${config.operator.teamName} will be told.`,
      ...signOff(config),
    ].join("\n"),
    idempotencyKey: `review_reminder:${review.reviewId}:${review.daysBefore}`,
  };
}

export function reviewOverdueMessage(
  config: PortalConfig,
  baseUrl: string,
  review: ReviewMessageFacts & { undecided: number; total: number; leads: { fullName: string; email: string }[] },
): OutboundMessage {
  const leads = review.leads.length > 0 ? review.leads.map((l) => `${l.fullName} <${l.email}>`).join(", ") : "none (no active Lead correspondent)";
  return {
    kind: "review_overdue",
    to: [config.operator.mailbox],
    subject: `Overdue quarterly review: ${review.organisationName} (${review.periodLabel})`,
    text: [
      `${review.organisationName}'s quarterly review of portal users (${review.periodLabel}) was due by ${formatReviewDate(review.dueOn)} and has not been signed off.`,
      `${review.total - review.undecided} of the ${review.total} accounts have a decision.`,
      `Lead correspondent: ${leads}`,
      "",
      staffReviewLink(baseUrl, review.reviewId),
    ].join("\n"),
    idempotencyKey: `review_overdue:${review.reviewId}`,
  };
}
