import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { licenceAllocations } from "../db/schema/organisations";
import { AppError } from "../errors";
import { licenceUse, licenceYear } from "../requests/licences";
import { checkLicenceAlert } from "./licence-alert";
import { licenceAccountsLock } from "./licence-lock";
import { licenceAllocationInputSchema, parseInput } from "./schema";
import { lockOrganisation, requireOrganisationStaff, type OrganisationStaffOptions } from "./staff";

export interface LicenceAllocationChange {
  year: number;
  before: number;
  after: number;
  used: number;
  /** What the change did to the threshold alert (CC-2a). */
  alert: "alert" | "rearm" | "none";
}

/**
 * CC-2a: staff with organisations:edit set an organisation's licence allocation for this year
 * or next (audited with before and after). It cannot go below the licences already held by
 * accounts. Raising it back under the alert threshold re-arms the alert; setting it so that use
 * crosses the threshold sends it.
 */
export async function setLicenceAllocation(options: OrganisationStaffOptions & { organisationId: string; input: Record<string, unknown> }): Promise<LicenceAllocationChange> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const currentYear = licenceYear(clock.now());
  const input = parseInput(licenceAllocationInputSchema(currentYear), options.input, "There is a problem with the allocation");
  return db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, options.organisationId);
    if (organisation.status === "closed") {
      throw new AppError("refused", `organisation ${organisation.odsCode} is closed`, `${organisation.name} is closed: its licences can no longer change.`);
    }
    await licenceAccountsLock(tx, organisation.id);
    const held = await licenceUse(tx, config, organisation.id, input.year, { includeOpenRequests: false });
    if (input.allocation === held.allocation && held.hasRow) {
      const message = `${organisation.name} already has ${held.allocation} licences for ${input.year}`;
      throw new AppError("conflict", message, message, { allocation: message });
    }
    if (input.allocation < held.used) {
      const message = `${held.used} accounts of ${organisation.name} already hold licences: the allocation cannot be less than ${held.used}. Suspend accounts that are no longer needed first`;
      throw new AppError("refused", `allocation ${input.allocation} below ${held.used} held`, message, { allocation: message });
    }
    const now = clock.now();
    await tx
      .insert(licenceAllocations)
      .values({ organisationId: organisation.id, year: input.year, allocation: input.allocation, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [licenceAllocations.organisationId, licenceAllocations.year], set: { allocation: input.allocation, updatedAt: now } });
    await recordAudit(tx, actor, clock, {
      action: "organisation.licence_allocation_changed",
      organisationId: organisation.id,
      detail: {
        year: input.year,
        before: { allocation: held.allocation, recorded: held.hasRow },
        after: { allocation: input.allocation },
        reason: input.reason ?? null,
      },
    });
    const alert = await checkLicenceAlert({ tx, actor, clock, config, organisationId: organisation.id, year: input.year });
    const [row] = await tx
      .select({ allocation: licenceAllocations.allocation })
      .from(licenceAllocations)
      .where(and(eq(licenceAllocations.organisationId, organisation.id), eq(licenceAllocations.year, input.year)));
    return { year: input.year, before: held.allocation, after: row?.allocation ?? input.allocation, used: alert.used, alert: alert.action };
  });
}
