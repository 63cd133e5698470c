import type { OutboundStatus } from "@/lib/mail/outbox-queries";
import { Tag, type TagColour } from "../../_components/tag";

/** Each state in staff's words, with its tag colour; "dead" letters stand out in red. */
export const statusLabels: Record<OutboundStatus, { label: string; colour: TagColour; filter: string }> = {
  pending: { label: "Queued", colour: "blue", filter: "Queued (not sent yet)" },
  sending: { label: "Sending", colour: "light-blue", filter: "Sending now" },
  sent: { label: "Sent", colour: "green", filter: "Sent" },
  failed: { label: "Failed, will retry", colour: "yellow", filter: "Failed, will retry" },
  dead: { label: "Not delivered", colour: "red", filter: "Not delivered (dead letters)" },
};

export function StatusTag({ status }: { status: OutboundStatus }) {
  const { label, colour } = statusLabels[status];
  return <Tag colour={colour}>{label}</Tag>;
}
