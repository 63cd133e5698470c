import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisationCaseActions, organisationCases } from "../db/schema/organisation-cases";
import { AppError } from "../errors";
import { caseClosingGaps, formatCaseReference } from "./rules";
import { lockCase, requireOrganisationStaff, type OrganisationStaffOptions } from "./staff";

/**
 * UAP-A.7: a case closes only once the written confirmation from someone with authority is
 * recorded, the care-packages check is ticked and no scheduled change is still waiting; the
 * refusal names each gap. (The database refuses a closed case without the first two as well.)
 */
export async function closeOrganisationCase(options: OrganisationStaffOptions & { organisationId: string; caseId: string }): Promise<void> {
  const { db, actor, clock, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  await db.transaction(async (tx) => {
    const row = await lockCase(tx, options.organisationId, options.caseId);
    const reference = formatCaseReference(row.number);
    const [pending] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(organisationCaseActions)
      .where(and(eq(organisationCaseActions.caseId, row.id), eq(organisationCaseActions.status, "scheduled")));
    const gaps = caseClosingGaps({ ...row, scheduledActions: pending?.n ?? 0 });
    if (gaps.length > 0) {
      throw new AppError(row.status === "closed" ? "conflict" : "refused", `${reference} cannot close: ${gaps.join("; ")}`, `${reference} cannot close yet: ${gaps.join("; ")}.`);
    }
    const now = clock.now();
    await tx.update(organisationCases).set({ status: "closed", closedAt: now, closedById: actor.accountId, updatedAt: now }).where(eq(organisationCases.id, row.id));
    await recordAudit(tx, actor, clock, {
      action: "organisation.case_closed",
      organisationId: row.organisationId,
      detail: {
        caseId: row.id,
        reference,
        before: { status: "open" },
        after: { status: "closed" },
        confirmation: { confirmedByName: row.confirmedByName, confirmedByRole: row.confirmedByRole, confirmedOn: row.confirmedOn, note: row.confirmationNote },
        carePackagesCheckedAt: row.carePackagesCheckedAt?.toISOString() ?? null,
      },
    });
  });
}
