import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisations } from "../db/schema/organisations";
import { AppError } from "../errors";
import { evaluateEligibility, readEligibility, type EligibilityResult } from "./eligibility";
import { eligibilityInputSchema, parseInput } from "./schema";
import { lockOrganisation, requireOrganisationStaff, serviceToday, type OrganisationStaffOptions } from "./staff";

/**
 * UCP-ORG-1..3: records the eligibility checklist's answers on the organisation (audited with
 * before and after) and says whether it now passes. Answers may be saved part-way.
 */
export async function recordEligibility(options: OrganisationStaffOptions & { organisationId: string; input: Record<string, unknown> }): Promise<EligibilityResult> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const today = serviceToday(config, clock);
  const eligibility = parseInput(eligibilityInputSchema(today), options.input, "There is a problem with the checklist");
  return db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, options.organisationId);
    if (organisation.status === "closed") {
      throw new AppError("refused", `organisation ${organisation.odsCode} is closed`, `${organisation.name} is closed: its checklist can no longer change.`);
    }
    const before = readEligibility(organisation.eligibility);
    const now = clock.now();
    const stored = { ...eligibility, recordedAt: now.toISOString(), recordedBy: actor.label };
    await tx.update(organisations).set({ eligibility: stored, updatedAt: now }).where(eq(organisations.id, organisation.id));
    const result = evaluateEligibility(eligibility, { type: organisation.type, today, region: config.operator.region });
    await recordAudit(tx, actor, clock, {
      action: "organisation.eligibility_recorded",
      organisationId: organisation.id,
      detail: { before, after: eligibility, eligible: result.eligible, missing: result.missing },
    });
    return result;
  });
}
