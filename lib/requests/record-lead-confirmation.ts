import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { formatReference, missingLeadConfirmations, type ConfirmationMethod } from "./rules";
import { leadConfirmationInputSchema, type LeadConfirmation, type RequestPayload } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * UAP-A.3: staff record that a change of Lead correspondent was confirmed by telephone or by
 * email — with whom, and when. Both are needed before the change can be approved. A recorded
 * confirmation stands as the record: a mistake is corrected with a note, not by rewriting it.
 */
export async function recordLeadConfirmation(
  options: StaffActionOptions & { method: ConfirmationMethod | string; confirmedWith: string; confirmedAt?: Date | string | null; note?: string | null },
): Promise<{ requestId: string; version: number; confirmation: LeadConfirmation; missing: ConfirmationMethod[] }> {
  const { actor, clock } = options;
  const now = clock.now();
  const input = parseOrThrow(leadConfirmationInputSchema(now), {
    method: options.method,
    confirmedWith: options.confirmedWith,
    confirmedAt: options.confirmedAt ?? undefined,
    note: options.note ?? undefined,
  });
  return runStaffAction(options, "record_confirmation", async (tx, request, payload, to) => {
    if (payload.leadConfirmations?.[input.method]) {
      const message = `The ${input.method} confirmation is already recorded. Add a note if it needs correcting`;
      throw new AppError("refused", `${input.method} confirmation already recorded`, message, { method: message });
    }
    const confirmation: LeadConfirmation = {
      method: input.method,
      confirmedWith: input.confirmedWith,
      confirmedAt: (input.confirmedAt ?? now).toISOString(),
      note: input.note ?? null,
      recordedById: actor.accountId,
      recordedByLabel: actor.label,
      recordedAt: now.toISOString(),
      channel: actor.channel,
    };
    const leadConfirmations = { ...payload.leadConfirmations, [input.method]: confirmation };
    const nextPayload: RequestPayload = { ...payload, leadConfirmations };
    const updated = await moveRequest(tx, clock, request, to, { payload: nextPayload as unknown as Record<string, unknown> });
    const missing = missingLeadConfirmations(leadConfirmations);
    await recordAudit(tx, actor, clock, {
      action: "request.lead_confirmation_recorded",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), confirmation, stillMissing: missing, version: updated.version },
    });
    return { requestId: updated.id, version: updated.version, confirmation, missing };
  });
}
