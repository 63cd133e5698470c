import type { JobSummary } from "./define-job";

/** How each summary count reads to staff ("2 suspended"); unknown keys are split from camelCase. */
const phrases: Record<string, string> = {
  suspended: "suspended",
  sessionsEnded: "sessions ended",
  warned: "warned",
  organisations: "organisations checked",
  alerted: "alerted",
  rearmed: "alerts re-armed",
  open: "requests due today or overdue",
  dueToday: "escalated as due today",
  overdue: "escalated as overdue",
  expired: "with expired training",
};

/** A run's summary as one line: "1 suspended, 1 sessions ended, 2 warned" ("nothing to do" when all are 0). */
export function describeSummary(summary: JobSummary): string {
  const parts = Object.entries(summary).map(([key, value]) => {
    const phrase = phrases[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    if (Array.isArray(value)) return `${phrase}: ${value.join(", ") || "none"}`;
    return `${String(value)} ${phrase}`;
  });
  if (parts.length === 0 || Object.values(summary).every((v) => v === 0)) return parts.length ? `nothing to do (${parts.join(", ")})` : "nothing to do";
  return parts.join(", ");
}
