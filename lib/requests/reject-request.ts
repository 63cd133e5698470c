import { recordAudit } from "../audit/record-audit";
import { enqueueMessage } from "../mail/enqueue-message";
import { parseOrThrow } from "../validation";
import { rejectionMessage } from "./messages";
import { formatReference, slaOutcome, type RequestStatus } from "./rules";
import { rejectInputSchema } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * Rejects an open request with a reason, which the requester is emailed; nothing about any
 * account changes. Rejection counts as actioning it for the SLA record (CC-5).
 */
export async function rejectRequest(options: StaffActionOptions & { reason: string }): Promise<{ requestId: string; status: RequestStatus; version: number }> {
  const { reason } = parseOrThrow(rejectInputSchema, { reason: options.reason });
  const { actor, clock, config } = options;
  return runStaffAction(options, "reject", async (tx, request, payload, to) => {
    const now = clock.now();
    const reference = formatReference(request.number);
    const updated = await moveRequest(tx, clock, request, to, { resolvedAt: now, resolution: reason });
    await enqueueMessage(tx, rejectionMessage(config, { id: request.id, reference, title: request.title }, payload.requester, reason));
    await recordAudit(tx, actor, clock, {
      action: "request.rejected",
      ...requestAuditFields(request),
      detail: { reference, before: { status: request.status }, after: { status: to }, reason, sla: slaOutcome(request.dueAt, now), version: updated.version },
    });
    return { requestId: updated.id, status: updated.status, version: updated.version };
  });
}
