import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisationCases } from "../db/schema/organisation-cases";
import { formatCaseReference } from "./rules";
import { carePackagesInputSchema, parseInput } from "./schema";
import { lockCase, requireOpenCase, requireOrganisationStaff, type OrganisationStaffOptions } from "./staff";

/**
 * UAP-A.7 checklist: staff confirm that the providers who took over the organisation's care
 * packages can see what they need, before the case can close.
 */
export async function confirmCarePackages(options: OrganisationStaffOptions & { organisationId: string; caseId: string; input: Record<string, unknown> }): Promise<void> {
  const { db, actor, clock, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const input = parseInput(carePackagesInputSchema, options.input, "There is a problem with the checklist");
  await db.transaction(async (tx) => {
    const row = await lockCase(tx, options.organisationId, options.caseId);
    const reference = formatCaseReference(row.number);
    requireOpenCase(row, reference);
    const now = clock.now();
    await tx
      .update(organisationCases)
      .set({ carePackagesCheckedAt: now, carePackagesCheckedById: actor.accountId, carePackagesNote: input.carePackagesNote ?? null, updatedAt: now })
      .where(eq(organisationCases.id, row.id));
    await recordAudit(tx, actor, clock, {
      action: "organisation.case_care_packages_confirmed",
      organisationId: row.organisationId,
      detail: { caseId: row.id, reference, note: input.carePackagesNote ?? null },
    });
  });
}
