import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordPageView } from "@/lib/audit/record-page-view";
import * as tables from "@/lib/db/schema";
import { activateOrganisation } from "@/lib/organisations/activate-organisation";
import { inviteLeadCorrespondent } from "@/lib/organisations/invite-lead-correspondent";
import { GUIDANCE_PATH, leadGuidanceBannerDue } from "@/lib/organisations/lead-guidance";
import { listOrganisations } from "@/lib/organisations/list-organisations";
import { getOrganisationDetail } from "@/lib/organisations/queries";
import { recordEligibility } from "@/lib/organisations/record-eligibility";
import { footprint, viewerFor } from "../requests/fixtures";
import {
  accountByEmail,
  accountsOf,
  ALEX,
  activeOrganisation,
  appError,
  BASE_URL,
  CHRIS,
  createRequestWorld,
  mailTo,
  newOrganisation,
  organisationAudit,
  organisationRow,
  passingChecklist,
  PRIYA,
  SAM,
  staffAs,
  type RequestWorld,
} from "./fixtures";

const lead = { fullName: "Ola Nowak", email: "ola.nowak@nhs.net", jobTitle: "Registered Manager" };

describe("onboarding a provider organisation", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("UAP-A.1 UCP-ORG-1 staff create an organisation from a well-formed, unused ODS code, onboarding and audited", async () => {
    const created = await newOrganisation(world, SAM, { odsCode: " qx7 9z ", name: "Oak Lodge" });
    expect(created).toMatchObject({ odsCode: "QX79Z", name: "Oak Lodge", kind: "provider", type: "care_home", status: "onboarding", eligibility: {} });
    const [event] = await organisationAudit(world.db, created.id, "organisation.created");
    expect(event!.actorLabel).toBe("Sam Patel");
    expect(event!.detail).toMatchObject({ after: { odsCode: "QX79Z", status: "onboarding" } });

    const taken = await appError(newOrganisation(world, SAM, { odsCode: "ab1c2" }));
    expect(taken.code).toBe("refused");
    expect(taken.fieldErrors.odsCode).toMatch(/already used by Meadowbank Care Ltd/);
    const malformed = await appError(newOrganisation(world, SAM, { odsCode: "AB-1" }));
    expect(malformed.code).toBe("validation");
    expect(malformed.fieldErrors.odsCode).toMatch(/letters and numbers/);

    const { rows, counts } = await listOrganisations(world.db, { status: "onboarding" });
    expect(rows.map((r) => r.odsCode)).toEqual(expect.arrayContaining(["QX79Z", "RV4D5"]));
    expect(rows.every((r) => r.status === "onboarding")).toBe(true);
    expect(counts.onboarding).toBe(2);
    expect((await listOrganisations(world.db, { q: "oak" })).rows.map((r) => r.odsCode)).toEqual(["QX79Z"]);
  });

  it("UAP-4.1 only operator staff with edit rights on organisations onboard one: not an auditor, not a Lead correspondent", async () => {
    const before = await footprint(world.db);
    for (const who of [CHRIS, PRIYA]) {
      const refused = await appError(newOrganisation(world, who));
      expect(refused.code, who).toBe("forbidden");
    }
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UCP-ORG-1 UCP-ORG-2 UCP-ORG-3 an organisation becomes active only once its eligibility checklist passes", async () => {
    const staff = await staffAs(world, SAM);
    const [riverside] = await world.db.select().from(tables.organisations).where(eq(tables.organisations.odsCode, "RV4D5"));
    const refused = await appError(activateOrganisation({ ...staff, organisationId: riverside!.id }));
    expect(refused.code).toBe("refused");
    expect(refused.userMessage).toMatch(/ODS code/);
    expect(refused.userMessage).toMatch(/DSPT/);
    expect((await organisationRow(world.db, riverside!.id)).status).toBe("onboarding");

    // Not in the DPIA and outside the region: the ICS lead's and the regional lead's approvals (UCP-ORG-2, UCP-ORG-3).
    const partial = await recordEligibility({ ...staff, organisationId: riverside!.id, input: { ...passingChecklist, dpiaListed: "no", inRegion: "no" } });
    expect(partial.eligible).toBe(false);
    expect(partial.missing.join(" ")).toMatch(/ICS lead's approval/);
    expect(partial.missing.join(" ")).toMatch(/regional lead's approval/);
    expect((await appError(activateOrganisation({ ...staff, organisationId: riverside!.id }))).code).toBe("refused");

    const passed = await recordEligibility({
      ...staff,
      organisationId: riverside!.id,
      input: {
        ...passingChecklist,
        dpiaListed: "no",
        icsApprovedBy: "Dr Ann Lee, ICS digital lead",
        icsApprovedOn: "2026-04-28",
        icsEvidence: "Email of 28 April, in the onboarding folder",
        inRegion: "no",
        regionalRoute: "regional_lead",
        regionalApprovedBy: "Sam Okoro, regional lead",
        regionalApprovedOn: "2026-04-30",
        regionalEvidence: "Letter of 30 April",
      },
    });
    expect(passed.eligible).toBe(true);
    await activateOrganisation({ ...staff, organisationId: riverside!.id });
    expect((await organisationRow(world.db, riverside!.id)).status).toBe("active");

    const recorded = await organisationAudit(world.db, riverside!.id, "organisation.eligibility_recorded");
    expect(recorded).toHaveLength(2);
    expect(recorded[1]!.detail).toMatchObject({ eligible: true, after: { icsApproval: { approvedBy: "Dr Ann Lee, ICS digital lead" }, regionalApproval: { approvedBy: "Sam Okoro, regional lead" } } });
    const [activated] = await organisationAudit(world.db, riverside!.id, "organisation.activated");
    expect(activated!.detail).toMatchObject({ before: { status: "onboarding" }, after: { status: "active" } });

    const again = await appError(activateOrganisation({ ...staff, organisationId: riverside!.id }));
    expect(again.code).toBe("conflict");
  });

  it("UCP-ORG-1 UAP-A.2 no account of an organisation is created before its checklist passes and it is active", async () => {
    const organisation = await newOrganisation(world, SAM);
    const staff = await staffAs(world, SAM);
    const before = await footprint(world.db);
    const refused = await appError(inviteLeadCorrespondent({ ...staff, organisationId: organisation.id, baseUrl: BASE_URL, input: lead }));
    expect(refused.code).toBe("refused");
    expect(refused.userMessage).toMatch(/still onboarding/);
    expect(await footprint(world.db)).toEqual(before);
    expect(await accountsOf(world.db, organisation.id)).toEqual([]);
  });

  it("UAP-A.1 UAP-A.2 CC-6 inviting the Lead correspondent creates the organisation's first account with the Lead role and sends its two set-up emails", async () => {
    const organisation = await activeOrganisation(world, SAM);
    const invited = await inviteLeadCorrespondent({ ...(await staffAs(world, SAM)), organisationId: organisation.id, baseUrl: BASE_URL, input: lead });

    const people = await accountsOf(world.db, organisation.id);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ id: invited.accountId, email: lead.email, fullName: lead.fullName, jobTitle: lead.jobTitle, status: "pending", audience: "provider" });
    const roles = await world.db.select({ roleKey: tables.roleGrants.roleKey }).from(tables.roleGrants).where(eq(tables.roleGrants.accountId, invited.accountId));
    expect(roles.map((r) => r.roleKey)).toEqual([world.config.leadRoleKey]);

    // CC-6: the username and, apart, the single-use set-up link.
    const username = await mailTo(world.db, lead.email, "account_username");
    const setup = await mailTo(world.db, lead.email, "account_setup_link");
    expect(username).toHaveLength(1);
    expect(setup).toHaveLength(1);
    expect(username[0]!.text).toContain(`Your username is: ${lead.email}`);
    expect(username[0]!.text).not.toContain("/set-up/");
    expect(setup[0]!.text).toContain(`${BASE_URL}/set-up/`);
    expect(setup[0]!.sensitive).toBe(true);

    const [invitedEvent] = await organisationAudit(world.db, organisation.id, "organisation.lead_invited");
    expect(invitedEvent).toMatchObject({ subjectAccountId: invited.accountId, actorLabel: "Sam Patel" });
    expect(await organisationAudit(world.db, organisation.id, "account.created")).toHaveLength(1);

    // UAP-A.2: the Lead is first; further users are theirs to request.
    const second = await appError(inviteLeadCorrespondent({ ...(await staffAs(world, SAM)), organisationId: organisation.id, baseUrl: BASE_URL, input: { ...lead, email: "kim.lee@nhs.net" } }));
    expect(second.code).toBe("refused");
    expect(second.userMessage).toMatch(/already has users/);
  });

  it("UAP-2.2 UCP-EMAIL-1 the Lead correspondent's email must be a named person's, and an unlisted domain is attested by staff", async () => {
    const organisation = await activeOrganisation(world, SAM);
    const staff = await staffAs(world, SAM);
    const generic = await appError(inviteLeadCorrespondent({ ...staff, organisationId: organisation.id, baseUrl: BASE_URL, input: { ...lead, email: "office@oak-lodge.example.org" } }));
    expect(generic.fieldErrors.email).toMatch(/shared or generic mailbox/);
    const unattested = await appError(inviteLeadCorrespondent({ ...staff, organisationId: organisation.id, baseUrl: BASE_URL, input: { ...lead, email: "ola.nowak@oak-lodge.example.org" } }));
    expect(unattested.fieldErrors.emailAttested).toBeDefined();
    const taken = await appError(inviteLeadCorrespondent({ ...staff, organisationId: organisation.id, baseUrl: BASE_URL, input: { ...lead, email: PRIYA, emailAttested: "yes" } }));
    expect(taken.fieldErrors.email).toMatch(/already has an account/);

    await inviteLeadCorrespondent({ ...staff, organisationId: organisation.id, baseUrl: BASE_URL, input: { ...lead, email: "ola.nowak@oak-lodge.example.org", emailAttested: "yes" } });
    const [event] = await organisationAudit(world.db, organisation.id, "organisation.lead_invited");
    expect(event!.detail).toMatchObject({ emailVerdict: "attestation_required", emailAttestation: { email: "ola.nowak@oak-lodge.example.org", attestedByLabel: "Sam Patel" } });
  });

  it("UAP-A.1 a Lead correspondent activated in the last 7 days is pointed to the guidance until they have opened it", async () => {
    const priya = await viewerFor(world, PRIYA);
    // Priya's account is long established.
    expect(await leadGuidanceBannerDue(world.db, world.config, priya, world.clock.now())).toBe(false);

    const organisation = await activeOrganisation(world, ALEX);
    const invited = await inviteLeadCorrespondent({ ...(await staffAs(world, ALEX)), organisationId: organisation.id, baseUrl: BASE_URL, input: lead });
    // As completing set-up leaves it.
    await world.db.update(tables.accounts).set({ status: "active", activatedAt: world.clock.now() }).where(eq(tables.accounts.id, invited.accountId));
    const ola = await viewerFor(world, lead.email);
    expect(await leadGuidanceBannerDue(world.db, world.config, ola, world.clock.now())).toBe(true);

    await recordPageView(world.db, { actor: { accountId: ola.accountId, label: ola.fullName, channel: "web" }, clock: world.clock, path: `${GUIDANCE_PATH}?from=banner` });
    expect(await leadGuidanceBannerDue(world.db, world.config, ola, world.clock.now())).toBe(false);

    const other = await activeOrganisation(world, ALEX);
    const late = await inviteLeadCorrespondent({ ...(await staffAs(world, ALEX)), organisationId: other.id, baseUrl: BASE_URL, input: { ...lead, email: "late.lead@nhs.net" } });
    await world.db
      .update(tables.accounts)
      .set({ status: "active", activatedAt: new Date(world.clock.now().getTime() - 8 * 86_400_000) })
      .where(eq(tables.accounts.id, late.accountId));
    expect(await leadGuidanceBannerDue(world.db, world.config, await viewerFor(world, "late.lead@nhs.net"), world.clock.now())).toBe(false);
  });

  it("UCP-ORG-1 the organisation page's read model shows the checklist, licences, accounts and cases", async () => {
    const organisation = await activeOrganisation(world, SAM);
    const detail = await getOrganisationDetail({ db: world.db, config: world.config, clock: world.clock, organisationId: organisation.id });
    expect(detail.checklist.eligible).toBe(true);
    expect(detail.eligibility).toMatchObject({ odsVerified: true, dpiaListed: true, recordedBy: "Sam Patel" });
    expect(detail.licences).toMatchObject({ year: 2026, allocation: world.config.licences.defaultAllocation, used: 0, recorded: false });
    expect(detail.accounts).toEqual([]);
    expect(detail.cases).toEqual([]);
    const [{ n }] = (await world.db.select({ n: sql<number>`count(*)::int` }).from(tables.organisations)) as [{ n: number }];
    expect(n).toBeGreaterThan(4);
    await expect(getOrganisationDetail({ db: world.db, config: world.config, clock: world.clock, organisationId: (await accountByEmail(world.db, SAM)).organisationId })).rejects.toThrow(/not found/);
  });
});
