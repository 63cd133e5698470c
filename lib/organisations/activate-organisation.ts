import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisations } from "../db/schema/organisations";
import { AppError } from "../errors";
import { evaluateEligibility, readEligibility } from "./eligibility";
import { statusLabels } from "./rules";
import { lockOrganisation, requireOrganisationStaff, serviceToday, type OrganisationStaffOptions } from "./staff";

/**
 * UCP-ORG-1..3: an onboarding organisation becomes active only when its eligibility checklist
 * passes today; otherwise the refusal names every item still missing.
 */
export async function activateOrganisation(options: OrganisationStaffOptions & { organisationId: string }): Promise<{ status: "active" }> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const today = serviceToday(config, clock);
  return db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, options.organisationId);
    if (organisation.status !== "onboarding") {
      throw new AppError(
        organisation.status === "active" ? "conflict" : "refused",
        `organisation ${organisation.odsCode} is ${organisation.status}`,
        `${organisation.name} is ${statusLabels[organisation.status].toLowerCase()}, not onboarding, so it cannot be activated.`,
      );
    }
    const result = evaluateEligibility(organisation.eligibility, { type: organisation.type, today, region: config.operator.region });
    if (!result.eligible) {
      throw new AppError(
        "refused",
        `organisation ${organisation.odsCode} not eligible: ${result.missing.join("; ")}`,
        `${organisation.name} cannot be activated until its eligibility checklist passes. Still to do: ${result.missing.join("; ")}.`,
      );
    }
    const now = clock.now();
    await tx.update(organisations).set({ status: "active", updatedAt: now }).where(eq(organisations.id, organisation.id));
    await recordAudit(tx, actor, clock, {
      action: "organisation.activated",
      organisationId: organisation.id,
      detail: { before: { status: organisation.status }, after: { status: "active" }, eligibility: readEligibility(organisation.eligibility), checklist: result.items.map((i) => ({ key: i.key, status: i.status, detail: i.detail })) },
    });
    return { status: "active" as const };
  });
}
