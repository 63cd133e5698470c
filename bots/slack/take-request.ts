import { AppError } from "../../lib/errors";
import { assignRequest } from "../../lib/requests/assign-request";
import { prioritiseRequest } from "../../lib/requests/prioritise-request";
import type { RequestDetail } from "../../lib/requests/queries";
import { formatReference, isOpen, type RequestStatus } from "../../lib/requests/rules";
import { alreadyActioned, type StaffActionOptions } from "../../lib/requests/staff-action";
import { startRequest } from "../../lib/requests/start-request";

/**
 * From Slack one click does what the portal does in steps (UCP-HD-1): a received request is
 * prioritised (keeping its priority), assigned to the person clicking and, when they go on to
 * approve, started. Each step is the portal's own use case, audited on its own; each carries
 * the version the previous one left, starting from the version on the button — so if anyone
 * acted since the message was drawn, the first step is refused as "already actioned" and
 * nothing is done twice. A request assigned to someone else is not taken from them here.
 */
export async function takeRequest(
  base: Omit<StaffActionOptions, "expectedVersion">,
  detail: RequestDetail,
  seenVersion: number,
  until: "assigned" | "in_progress",
): Promise<{ version: number; status: RequestStatus }> {
  const me = base.viewer.accountId;
  let version = seenVersion;
  let status = detail.request.status;
  let assigneeId = detail.request.assigneeId;
  if (!isOpen(status)) throw alreadyActioned(detail.request, "taken from Slack");
  if (status === "received") ({ version, status } = await prioritiseRequest({ ...base, expectedVersion: version, priority: detail.request.priority }));
  if (status === "prioritised") ({ version, status, assigneeId } = await assignRequest({ ...base, expectedVersion: version, assigneeId: me }));
  // Someone else's ticket stays theirs; an approval of one already in progress is still allowed, as in the portal.
  if (assigneeId !== me && (status === "assigned" || until === "assigned")) refuseTaken(detail);
  if (status === "assigned" && until === "in_progress") ({ version, status } = await startRequest({ ...base, expectedVersion: version }));
  return { version, status };
}

function refuseTaken(detail: RequestDetail): never {
  const reference = formatReference(detail.request.number);
  const who = detail.assignee?.fullName ?? "someone else";
  throw new AppError("refused", `${reference} is assigned to ${who}`, `${reference} is assigned to ${who}. Ask them, or reassign it in the portal.`);
}
