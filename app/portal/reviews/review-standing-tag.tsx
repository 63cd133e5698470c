import type { ReviewStanding } from "@/lib/reviews/rules";
import { standingLabels } from "@/lib/reviews/rules";
import { Tag, type TagColour } from "../../_components/tag";

const colours: Record<ReviewStanding, TagColour> = { signed_off: "green", overdue: "red", due_soon: "orange", open: "blue" };

/** A review's standing as a GOV.UK tag: signed off, overdue, due soon or open (UAP-4.2). */
export function ReviewStandingTag({ standing }: { standing: ReviewStanding }) {
  return <Tag colour={colours[standing]}>{standingLabels[standing]}</Tag>;
}
