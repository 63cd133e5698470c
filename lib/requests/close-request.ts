import { recordAudit } from "../audit/record-audit";
import { formatReference, type RequestStatus } from "./rules";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * UCP-HD-1: a resolved or rejected request is closed. A resolved one whose type is mirrored on
 * related systems closes only when its checklist is complete (UAP-A.2b).
 */
export async function closeRequest(options: StaffActionOptions): Promise<{ requestId: string; status: RequestStatus; version: number }> {
  const { actor, clock } = options;
  return runStaffAction(options, "close", async (tx, request, payload, to) => {
    const updated = await moveRequest(tx, clock, request, to, { closedAt: clock.now() });
    await recordAudit(tx, actor, clock, {
      action: "request.closed",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), before: { status: request.status }, after: { status: to }, relatedSystems: payload.relatedSystems ?? {}, version: updated.version },
    });
    return { requestId: updated.id, status: updated.status, version: updated.version };
  });
}
