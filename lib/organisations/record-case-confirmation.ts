import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisationCases } from "../db/schema/organisation-cases";
import { formatCaseReference } from "./rules";
import { caseConfirmationInputSchema, parseInput } from "./schema";
import { lockCase, requireOpenCase, requireOrganisationStaff, serviceToday, type OrganisationStaffOptions } from "./staff";

/**
 * UAP-A.7: records the written confirmation of the change from someone with authority — the
 * registered manager or the appointed administrator: name, role, date and a note of the
 * document. Recording it again replaces it; both are in the audit log (before and after).
 */
export async function recordCaseConfirmation(options: OrganisationStaffOptions & { organisationId: string; caseId: string; input: Record<string, unknown> }): Promise<void> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const input = parseInput(caseConfirmationInputSchema(serviceToday(config, clock)), options.input, "There is a problem with the confirmation");
  await db.transaction(async (tx) => {
    const row = await lockCase(tx, options.organisationId, options.caseId);
    const reference = formatCaseReference(row.number);
    requireOpenCase(row, reference);
    const now = clock.now();
    await tx
      .update(organisationCases)
      .set({ ...input, confirmationRecordedById: actor.accountId, confirmationRecordedAt: now, updatedAt: now })
      .where(eq(organisationCases.id, row.id));
    await recordAudit(tx, actor, clock, {
      action: "organisation.case_confirmation_recorded",
      organisationId: row.organisationId,
      detail: {
        caseId: row.id,
        reference,
        before: row.confirmedByName ? { confirmedByName: row.confirmedByName, confirmedByRole: row.confirmedByRole, confirmedOn: row.confirmedOn, confirmationNote: row.confirmationNote } : null,
        after: input,
      },
    });
  });
}
