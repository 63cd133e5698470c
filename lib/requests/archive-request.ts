import { recordAudit } from "../audit/record-audit";
import { formatReference, type RequestStatus } from "./rules";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/** UCP-HD-1: a closed request is archived — kept, out of the working lists, never deleted. */
export async function archiveRequest(options: StaffActionOptions): Promise<{ requestId: string; status: RequestStatus; version: number }> {
  const { actor, clock } = options;
  return runStaffAction(options, "archive", async (tx, request, _payload, to) => {
    const updated = await moveRequest(tx, clock, request, to);
    await recordAudit(tx, actor, clock, {
      action: "request.archived",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), before: { status: request.status }, after: { status: to }, version: updated.version },
    });
    return { requestId: updated.id, status: updated.status, version: updated.version };
  });
}
