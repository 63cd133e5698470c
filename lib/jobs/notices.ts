import { jobNotices } from "../db/schema/jobs";
import type { Executor } from "../db/types";
import { chunked } from "./batches";

/** The kinds of "sent once" notice the jobs keep (job_notices.kind). */
export type NoticeKind = "inactivity_warning" | "end_date_warning" | "training_expired" | "sla_due_today" | "sla_overdue";

export interface NoticeCandidate {
  subjectId: string;
  /** What makes this occurrence different from the last (a date, an instant): a new one is told again. */
  occurrenceKey: string;
}

/**
 * Claims notices not yet given: inserts them all (ON CONFLICT DO NOTHING) and returns the keys
 * of those this call inserted — the subjects to tell now. Another run that claimed one first,
 * in this instant or years ago, keeps it; two runners at once cannot both claim it.
 */
export async function claimNotices(tx: Executor, kind: NoticeKind, candidates: NoticeCandidate[], now: Date): Promise<Set<string>> {
  const claimed = new Set<string>();
  for (const chunk of chunked(candidates)) {
    const rows = await tx
      .insert(jobNotices)
      .values(chunk.map((c) => ({ kind, subjectId: c.subjectId, occurrenceKey: c.occurrenceKey, createdAt: now })))
      .onConflictDoNothing()
      .returning({ subjectId: jobNotices.subjectId, occurrenceKey: jobNotices.occurrenceKey });
    for (const row of rows) claimed.add(noticeKey(row));
  }
  return claimed;
}

export function noticeKey(notice: NoticeCandidate): string {
  return `${notice.subjectId}|${notice.occurrenceKey}`;
}
