"use server";

import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { closeOrganisationCase } from "@/lib/organisations/close-organisation-case";
import { confirmCarePackages } from "@/lib/organisations/confirm-care-packages";
import { openOrganisationCase } from "@/lib/organisations/open-organisation-case";
import { recordCaseConfirmation } from "@/lib/organisations/record-case-confirmation";
import type { OrganisationStaffOptions } from "@/lib/organisations/staff";
import { formStateFromError, type FormState } from "../../../../_lib/form-state";
import { formValues } from "../../../../_lib/form-values";
import { portal } from "../../../../_lib/portal";
import { webActor } from "../../../../_lib/request-context";
import { requireAccess } from "../../../../_lib/viewer";
import type { OrganisationDone } from "../done-messages";

/** A bound id that is not a UUID was never sent by the page: "not found", never a 500 (issue 11 fuzz run). */
const uuid = {
  parse(value: unknown): string {
    const parsed = z.uuid().safeParse(value);
    if (!parsed.success) notFound();
    return parsed.data;
  },
};

async function staffOptions(path: string): Promise<OrganisationStaffOptions> {
  const viewer = await requireAccess("operator", "organisations", "edit", path);
  const { database, config, clock } = await portal();
  return { db: database.db, actor: await webActor(config, viewer), clock, config, viewer };
}

const strings = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === "string")) as Record<string, string>;

/** The form's "newAccounts.<n>.<field>" inputs as rows, in order. */
function newAccountRows(values: Record<string, unknown>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(values)) {
    const match = /^newAccounts\.(\d{1,2})\.(fullName|email|jobTitle|roleKey|emailAttested)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    rows[index] = { ...(rows[index] ?? {}), [match[2]!]: value };
  }
  return Array.from(rows, (row) => row ?? {});
}

function caseDone(organisationId: string, caseId: string, key: OrganisationDone): never {
  redirect(`/staff/organisations/${organisationId}/cases/${caseId}?done=${key}`);
}

// POST (server action) — UAP-A.7, UAP-5.2, UAP-5.3: opens a case; a sudden one suspends every account at once.
export async function openCase(organisationId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  uuid.parse(organisationId);
  const options = await staffOptions(`/staff/organisations/${organisationId}/cases/new`);
  const values = formValues(formData, { dates: ["notifiedOn", "effectiveDate"] });
  let caseId: string;
  try {
    ({ caseId } = await openOrganisationCase({ ...options, organisationId, input: { ...values, newAccounts: newAccountRows(values) } }));
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  caseDone(organisationId, caseId, "case_opened");
}

// POST (server action) — UAP-A.7: records the written confirmation from someone with authority.
export async function recordConfirmation(organisationId: string, caseId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  uuid.parse(organisationId);
  uuid.parse(caseId);
  const options = await staffOptions(`/staff/organisations/${organisationId}/cases/${caseId}`);
  const values = formValues(formData, { dates: ["confirmedOn"] });
  try {
    await recordCaseConfirmation({ ...options, organisationId, caseId, input: values });
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  caseDone(organisationId, caseId, "confirmation");
}

// POST (server action) — UAP-A.7: ticks the care-packages check.
export async function confirmPackages(organisationId: string, caseId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  uuid.parse(organisationId);
  uuid.parse(caseId);
  const options = await staffOptions(`/staff/organisations/${organisationId}/cases/${caseId}`);
  const values = formValues(formData);
  try {
    await confirmCarePackages({ ...options, organisationId, caseId, input: values });
  } catch (error) {
    return formStateFromError(error, strings(values));
  }
  caseDone(organisationId, caseId, "care_packages");
}

// POST (server action) — UAP-A.7: closes the case once its confirmation and check are recorded.
export async function closeCase(organisationId: string, caseId: string, _prev: FormState, _formData: FormData): Promise<FormState> {
  uuid.parse(organisationId);
  uuid.parse(caseId);
  const options = await staffOptions(`/staff/organisations/${organisationId}/cases/${caseId}`);
  try {
    await closeOrganisationCase({ ...options, organisationId, caseId });
  } catch (error) {
    return formStateFromError(error);
  }
  caseDone(organisationId, caseId, "case_closed");
}
