import type { EligibilityItemStatus } from "@/lib/organisations/eligibility";
import { statusLabels, type OrganisationStatus } from "@/lib/organisations/rules";
import { Tag, type TagColour } from "../../_components/tag";

const statusColours: Record<OrganisationStatus, TagColour> = { onboarding: "blue", active: "green", closing: "orange", closed: "grey" };

export function OrganisationStatusTag({ status }: { status: OrganisationStatus }) {
  return <Tag colour={statusColours[status]}>{statusLabels[status]}</Tag>;
}

const itemText: Record<EligibilityItemStatus, { text: string; colour: TagColour }> = {
  met: { text: "Met", colour: "green" },
  not_met: { text: "Not met", colour: "red" },
  not_needed: { text: "Not needed", colour: "grey" },
};

export function EligibilityTag({ status }: { status: EligibilityItemStatus }) {
  return <Tag colour={itemText[status].colour}>{itemText[status].text}</Tag>;
}

export function CaseStatusTag({ status }: { status: "open" | "closed" }) {
  return <Tag colour={status === "open" ? "orange" : "grey"}>{status === "open" ? "Open" : "Closed"}</Tag>;
}

export function ActionStatusTag({ status }: { status: "scheduled" | "done" | "failed" }) {
  const map = { scheduled: { text: "Scheduled", colour: "blue" }, done: { text: "Done", colour: "green" }, failed: { text: "Failed", colour: "red" } } as const;
  return <Tag colour={map[status].colour}>{map[status].text}</Tag>;
}
