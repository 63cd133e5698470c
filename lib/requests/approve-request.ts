import { recordAudit } from "../audit/record-audit";
import { enqueueMessage } from "../mail/enqueue-message";
import { applyRequest } from "./apply-request";
import { resolutionMessage } from "./messages";
import { formatReference, slaOutcome } from "./rules";
import type { RequestPayload } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

export interface ApprovedRequest {
  requestId: string;
  reference: string;
  status: "resolved";
  version: number;
  subjectAccountId: string | null;
  outcome: Record<string, unknown>;
  /** What the requester was told. */
  resolution: string;
}

/**
 * Approves a request in progress by applying it (UAP-2.1, UAP-4.1): the account change, the
 * status "resolved", the resolution email to the requester (CC-6) and every audit event, all
 * in one transaction. The request is read under a row lock and moved with a conditional
 * update on its version, so two staff approving at once apply it exactly once; the second
 * gets "already actioned" and nothing of theirs is kept.
 */
export async function approveRequest(options: StaffActionOptions & { baseUrl: string }): Promise<ApprovedRequest> {
  const { actor, clock, config } = options;
  return runStaffAction(options, "approve", async (tx, request, payload, to) => {
    const result = await applyRequest({ tx, actor, clock, config, baseUrl: options.baseUrl, request, payload });
    const now = clock.now();
    const reference = formatReference(request.number);
    const nextPayload: RequestPayload = { ...payload, outcome: result.outcome };
    const updated = await moveRequest(tx, clock, request, to, {
      resolvedAt: now,
      resolution: result.summary,
      subjectAccountId: result.subjectAccountId ?? request.subjectAccountId,
      payload: nextPayload as unknown as Record<string, unknown>,
    });
    await enqueueMessage(tx, resolutionMessage(config, { id: request.id, reference, title: request.title }, payload.requester, result.summary));
    await recordAudit(tx, actor, clock, {
      action: "request.resolved",
      ...requestAuditFields(updated),
      detail: {
        reference,
        before: { status: request.status },
        after: { status: to },
        outcome: result.outcome,
        sla: slaOutcome(request.dueAt, now),
        dueAt: request.dueAt.toISOString(),
        version: updated.version,
      },
    });
    return { requestId: updated.id, reference, status: "resolved", version: updated.version, subjectAccountId: updated.subjectAccountId, outcome: result.outcome, resolution: result.summary };
  });
}
