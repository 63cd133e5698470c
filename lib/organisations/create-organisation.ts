import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { organisations } from "../db/schema/organisations";
import { AppError } from "../errors";
import { createOrganisationInputSchema, parseInput } from "./schema";
import { requireOrganisationStaff, type OrganisationRow, type OrganisationStaffOptions } from "./staff";

/**
 * UAP-A.1: staff create a provider organisation from its ODS code (checked for format and
 * unused, UCP-ORG-1), name, type and address. It starts "onboarding", with an empty
 * eligibility checklist; nothing can be done for it until the checklist passes.
 */
export async function createOrganisation(options: OrganisationStaffOptions & { input: Record<string, unknown> }): Promise<OrganisationRow> {
  const { db, actor, clock, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const input = parseInput(createOrganisationInputSchema, options.input, "There is a problem with the organisation's details");
  return db.transaction(async (tx) => {
    // Two staff creating the same code at once: the second waits, then finds the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`organisation-ods:${input.odsCode}`}, 0))`);
    const [existing] = await tx
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(sql`upper(${organisations.odsCode}) = ${input.odsCode}`)
      .limit(1);
    if (existing) {
      const message = `ODS code ${input.odsCode} is already used by ${existing.name}`;
      throw new AppError("refused", `ods code ${input.odsCode} in use`, message, { odsCode: message });
    }
    const now = clock.now();
    const [row] = await tx
      .insert(organisations)
      .values({ odsCode: input.odsCode, name: input.name, kind: "provider", type: input.type, status: "onboarding", address: input.address, eligibility: {}, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, actor, clock, {
      action: "organisation.created",
      organisationId: row!.id,
      detail: { after: { odsCode: input.odsCode, name: input.name, type: input.type, address: input.address, status: "onboarding" } },
    });
    return row!;
  });
}
