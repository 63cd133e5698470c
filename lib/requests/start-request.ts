import { recordAudit } from "../audit/record-audit";
import { formatReference, type RequestStatus } from "./rules";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/** UCP-HD-1: work begins on an assigned request (assigned → in progress). */
export async function startRequest(options: StaffActionOptions): Promise<{ requestId: string; status: RequestStatus; version: number }> {
  return runStaffAction(options, "start", async (tx, request, _payload, to) => {
    const updated = await moveRequest(tx, options.clock, request, to);
    await recordAudit(tx, options.actor, options.clock, {
      action: "request.started",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), before: { status: request.status }, after: { status: to }, assigneeId: request.assigneeId, version: updated.version },
    });
    return { requestId: updated.id, status: updated.status, version: updated.version };
  });
}
