import { and, eq, ne } from "drizzle-orm";
import { createProviderAccount } from "../accounts/create-provider-account";
import { recordAudit } from "../audit/record-audit";
import { sendAccountSetup } from "../auth/account-setup/send-account-setup";
import { accounts } from "../db/schema/accounts";
import { AppError } from "../errors";
import { licenceUse, licenceYear } from "../requests/licences";
import { licenceAvailable } from "../requests/rules";
import { evaluateEligibility } from "./eligibility";
import { checkLicenceAlert } from "./licence-alert";
import { licenceAccountsLock } from "./licence-lock";
import { statusLabels } from "./rules";
import { inviteLeadInputSchema, parseInput } from "./schema";
import { lockOrganisation, requireOrganisationStaff, serviceToday, type OrganisationStaffOptions } from "./staff";

export interface InvitedLead {
  accountId: string;
  email: string;
  fullName: string;
}

/**
 * UAP-A.1 / UAP-A.2: staff invite an active, eligible organisation's named main contact, who
 * becomes its Lead correspondent: the organisation's first account, holding the configured
 * Lead role, pending until they set it up from the two emails of CC-6 (username; set-up link,
 * apart). Refused before activation (UCP-ORG-1..3), when the organisation already has users
 * (further users are requested by the Lead, UAP-A.2; a new Lead is a Lead change, UAP-A.3) and
 * when no licence is free (CC-2a).
 */
export async function inviteLeadCorrespondent(options: OrganisationStaffOptions & { organisationId: string; baseUrl: string; input: Record<string, unknown> }): Promise<InvitedLead> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const input = parseInput(inviteLeadInputSchema(config), options.input, "There is a problem with the Lead correspondent's details");
  const today = serviceToday(config, clock);
  return db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, options.organisationId);
    if (organisation.status !== "active") {
      throw new AppError(
        "refused",
        `organisation ${organisation.odsCode} is ${organisation.status}`,
        organisation.status === "onboarding"
          ? `${organisation.name} is still onboarding: activate it, once its eligibility checklist passes, before inviting its Lead correspondent.`
          : `${organisation.name} is ${statusLabels[organisation.status].toLowerCase()}: no accounts can be created for it.`,
      );
    }
    const eligibility = evaluateEligibility(organisation.eligibility, { type: organisation.type, today, region: config.operator.region });
    if (!eligibility.eligible) {
      throw new AppError(
        "refused",
        `organisation ${organisation.odsCode} no longer eligible: ${eligibility.missing.join("; ")}`,
        `${organisation.name}'s eligibility checklist no longer passes, so no account can be created for it. Still to do: ${eligibility.missing.join("; ")}.`,
      );
    }
    const [existing] = await tx
      .select({ id: accounts.id, fullName: accounts.fullName })
      .from(accounts)
      .where(and(eq(accounts.organisationId, organisation.id), ne(accounts.status, "suspended")))
      .limit(1);
    if (existing) {
      throw new AppError(
        "refused",
        `organisation ${organisation.odsCode} already has accounts`,
        `${organisation.name} already has users. Its Lead correspondent requests further users; to change the Lead correspondent, they ask for a Lead change.`,
      );
    }
    await licenceAccountsLock(tx, organisation.id);
    const use = await licenceUse(tx, config, organisation.id, licenceYear(clock.now()));
    if (!licenceAvailable(use)) {
      throw new AppError(
        "refused",
        `licences full for ${organisation.odsCode} (${use.used}/${use.allocation})`,
        `${organisation.name} has no licences left for ${use.year} (all ${use.allocation} are in use or requested). Raise its allocation first.`,
      );
    }
    const account = await createProviderAccount({
      tx,
      actor,
      clock,
      organisationId: organisation.id,
      fullName: input.fullName,
      email: input.email,
      jobTitle: input.jobTitle,
      roleKeys: [config.leadRoleKey],
    });
    await sendAccountSetup(tx, { config, clock, baseUrl: options.baseUrl }, account, { leadEmails: [] });
    await recordAudit(tx, actor, clock, {
      action: "organisation.lead_invited",
      organisationId: organisation.id,
      subjectAccountId: account.id,
      detail: {
        after: { leadAccountIds: [account.id] },
        fullName: account.fullName,
        email: account.email,
        jobTitle: input.jobTitle,
        roleKey: config.leadRoleKey,
        emailVerdict: input.emailVerdict,
        ...(input.emailVerdict === "attestation_required" ? { emailAttestation: { email: account.email, attestedById: actor.accountId, attestedByLabel: actor.label, attestedAt: clock.now().toISOString() } } : {}),
      },
    });
    await checkLicenceAlert({ tx, actor, clock, config, organisationId: organisation.id });
    return { accountId: account.id, email: account.email, fullName: account.fullName };
  });
}
