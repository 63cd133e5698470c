import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { parseOrThrow } from "../validation";
import { formatReference } from "./rules";
import type { RequestPayload, SenderConfirmation } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

export const senderConfirmationInputSchema = z.object({
  note: z
    .string({ error: "Say how you confirmed the sender" })
    .trim()
    .min(1, "Say how you confirmed the sender, for example the call you made to the number on file")
    .max(2000, "The note must be 2000 characters or fewer"),
});

/**
 * UAP-A.8: a request that came by email from a sender that failed authentication, or whose
 * address or name did not match the account, waits for a member of staff to check the evidence
 * (typically by calling the account holder on a known number) and confirm the sender; only then
 * can it be approved. The confirmation, with its note, is kept on the request and audited; like a
 * Lead-change confirmation it is never rewritten (a mistake is corrected with a note).
 */
export async function confirmSender(options: StaffActionOptions & { note: string }): Promise<{ requestId: string; version: number; confirmation: SenderConfirmation }> {
  const { actor, clock } = options;
  const { note } = parseOrThrow(senderConfirmationInputSchema, { note: options.note });
  return runStaffAction(options, "confirm_sender", async (tx, request, payload, to) => {
    const now = clock.now();
    const confirmation: SenderConfirmation = { confirmedById: actor.accountId, confirmedByLabel: actor.label, confirmedAt: now.toISOString(), note, channel: actor.channel };
    // runStaffAction's rule check guarantees payload.sender is there and unconfirmed.
    const nextPayload: RequestPayload = { ...payload, sender: { ...payload.sender!, confirmation } };
    const updated = await moveRequest(tx, clock, request, to, { payload: nextPayload as unknown as Record<string, unknown> });
    const { confirmation: _none, ...evidence } = payload.sender!;
    await recordAudit(tx, actor, clock, {
      action: "request.sender_confirmed",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), sender: evidence, confirmation, version: updated.version },
    });
    return { requestId: updated.id, version: updated.version, confirmation };
  });
}
