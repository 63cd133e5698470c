"use server";

import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { activateOrganisation } from "@/lib/organisations/activate-organisation";
import { inviteLeadCorrespondent } from "@/lib/organisations/invite-lead-correspondent";
import { recordEligibility } from "@/lib/organisations/record-eligibility";
import { setLicenceAllocation } from "@/lib/organisations/set-licence-allocation";
import type { OrganisationStaffOptions } from "@/lib/organisations/staff";
import { formStateFromError, type FormState } from "../../../_lib/form-state";
import { formValues } from "../../../_lib/form-values";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { requireAccess } from "../../../_lib/viewer";
import type { OrganisationDone } from "./done-messages";

/** Session, permission (organisations:edit) and the use case's options: once for every form on the page. */
async function staffOptions(organisationId: string): Promise<OrganisationStaffOptions & { baseUrl: string }> {
  const path = `/staff/organisations/${organisationId}`;
  const viewer = await requireAccess("operator", "organisations", "edit", path);
  const { database, config, clock, baseUrl } = await portal();
  return { db: database.db, actor: await webActor(config, viewer), clock, config, viewer, baseUrl };
}

function done(organisationId: string, key: OrganisationDone): never {
  redirect(`/staff/organisations/${organisationId}?done=${key}`);
}

/** A bound id that is not a UUID was never sent by the page: "not found", never a 500 (issue 11 fuzz run). */
const id = {
  parse(value: unknown): string {
    const parsed = z.uuid().safeParse(value);
    if (!parsed.success) notFound();
    return parsed.data;
  },
};
const strings = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === "string")) as Record<string, string>;

// POST (server action) — UCP-ORG-1..3: saves the eligibility checklist.
export async function saveEligibility(organisationId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const options = await staffOptions(id.parse(organisationId));
  const values = formValues(formData, { dates: ["icsApprovedOn", "dsptDate", "regionalApprovedOn", "ownDpiaCompletedOn"] });
  try {
    await recordEligibility({ ...options, organisationId, input: values });
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  done(organisationId, "eligibility");
}

// POST (server action) — UCP-ORG-1..3: activates the organisation once its checklist passes.
export async function activate(organisationId: string, _prev: FormState, _formData: FormData): Promise<FormState> {
  const options = await staffOptions(id.parse(organisationId));
  try {
    await activateOrganisation({ ...options, organisationId });
  } catch (error) {
    return formStateFromError(error);
  }
  done(organisationId, "activated");
}

// POST (server action) — UAP-A.1, UAP-A.2: invites the named main contact as the Lead correspondent.
export async function inviteLead(organisationId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const options = await staffOptions(id.parse(organisationId));
  const values = formValues(formData);
  try {
    await inviteLeadCorrespondent({ ...options, organisationId, input: values });
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  done(organisationId, "invited");
}

// POST (server action) — CC-2a: sets the licence allocation for a year (audited).
export async function setAllocation(organisationId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const options = await staffOptions(id.parse(organisationId));
  const values = formValues(formData);
  try {
    await setLicenceAllocation({ ...options, organisationId, input: values });
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  done(organisationId, "licences");
}
