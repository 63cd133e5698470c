import type { JobRunView } from "@/lib/jobs";
import { Tag, type TagColour } from "../../_components/tag";

export const runStatusLabels: Record<JobRunView["status"], string> = { ok: "Done", failed: "Failed", skipped_locked: "Skipped: already running" };
const colours: Record<JobRunView["status"], TagColour> = { ok: "green", failed: "red", skipped_locked: "grey" };

/** A run's status as a GOV.UK tag. */
export function RunStatusTag({ status }: { status: JobRunView["status"] }) {
  return <Tag colour={colours[status]}>{runStatusLabels[status]}</Tag>;
}
