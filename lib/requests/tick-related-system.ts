import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { formatReference, outstandingRelatedSystems, relatedSystemsFor, type RelatedSystem } from "./rules";
import { tickRelatedSystemInputSchema, type RelatedSystemTick, type RequestPayload } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * UAP-A.2b: staff tick off a related system (provider directory, call monitoring …) once the
 * change is mirrored on it; a resolved request closes only when every one is ticked.
 */
export async function tickRelatedSystem(
  options: StaffActionOptions & { systemKey: string; note?: string | null },
): Promise<{ requestId: string; version: number; outstanding: RelatedSystem[] }> {
  const input = parseOrThrow(tickRelatedSystemInputSchema, { systemKey: options.systemKey, note: options.note ?? undefined });
  const { actor, clock, config } = options;
  return runStaffAction(options, "tick_related_system", async (tx, request, payload, to) => {
    const system = relatedSystemsFor(request.type, config).find((s) => s.key === input.systemKey);
    if (!system) {
      const message = "Select a related system from the request's checklist";
      throw new AppError("validation", `no related system ${input.systemKey} for ${request.type}`, message, { systemKey: message });
    }
    if (payload.relatedSystems?.[system.key]) {
      throw new AppError("refused", `${system.key} already ticked`, `${system.name} is already ticked off.`, { systemKey: `${system.name} is already ticked off` });
    }
    const now = clock.now();
    const tick: RelatedSystemTick = { doneAt: now.toISOString(), byId: actor.accountId, byLabel: actor.label, note: input.note ?? null };
    const relatedSystems = { ...payload.relatedSystems, [system.key]: tick };
    const nextPayload: RequestPayload = { ...payload, relatedSystems };
    const updated = await moveRequest(tx, clock, request, to, { payload: nextPayload as unknown as Record<string, unknown> });
    const outstanding = outstandingRelatedSystems(request.type, relatedSystems, config);
    await recordAudit(tx, actor, clock, {
      action: "request.related_system_ticked",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), system: system.key, name: system.name, note: tick.note, outstanding: outstanding.map((s) => s.key), version: updated.version },
    });
    return { requestId: updated.id, version: updated.version, outstanding };
  });
}
