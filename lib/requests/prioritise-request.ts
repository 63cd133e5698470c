import { recordAudit } from "../audit/record-audit";
import { parseOrThrow } from "../validation";
import { formatReference, type RequestPriority, type RequestStatus } from "./rules";
import { prioritiseInputSchema } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * UCP-HD-1: staff read a received request and set its priority (received → prioritised); on an
 * open request it changes the priority only. The due time stays the one set on receipt (CC-5).
 */
export async function prioritiseRequest(
  options: StaffActionOptions & { priority: RequestPriority | string },
): Promise<{ requestId: string; status: RequestStatus; priority: RequestPriority; version: number }> {
  const { priority } = parseOrThrow(prioritiseInputSchema, { priority: options.priority });
  return runStaffAction(options, "prioritise", async (tx, request, _payload, to) => {
    const updated = await moveRequest(tx, options.clock, request, to, { priority });
    await recordAudit(tx, options.actor, options.clock, {
      action: "request.prioritised",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), before: { status: request.status, priority: request.priority }, after: { status: to, priority }, version: updated.version },
    });
    return { requestId: updated.id, status: updated.status, priority: updated.priority, version: updated.version };
  });
}
