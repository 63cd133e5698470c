import { statusLabels, priorityLabels, type RequestPriority, type RequestStatus } from "@/lib/requests/rules";
import type { RequestSla } from "@/lib/requests/queries";
import { Tag, type TagColour } from "../_components/tag";

const statusColours: Record<RequestStatus, TagColour> = {
  received: "blue",
  prioritised: "light-blue",
  assigned: "purple",
  in_progress: "turquoise",
  resolved: "green",
  rejected: "red",
  closed: "grey",
  archived: "grey",
};

export function StatusTag({ status }: { status: RequestStatus }) {
  return <Tag colour={statusColours[status]}>{statusLabels[status]}</Tag>;
}

export function PriorityTag({ priority }: { priority: RequestPriority }) {
  return <Tag colour={priority === "urgent" ? "red" : priority === "high" ? "orange" : "grey"}>{priorityLabels[priority]}</Tag>;
}

const slaText: Record<RequestSla, { text: string; colour: TagColour }> = {
  on_track: { text: "On track", colour: "green" },
  due_today: { text: "Due today", colour: "yellow" },
  overdue: { text: "Overdue", colour: "red" },
  within: { text: "Within SLA", colour: "green" },
  late: { text: "Late", colour: "orange" },
};

/** CC-5: where a request stands against its due time. */
export function SlaTag({ sla }: { sla: RequestSla }) {
  return <Tag colour={slaText[sla].colour}>{slaText[sla].text}</Tag>;
}
