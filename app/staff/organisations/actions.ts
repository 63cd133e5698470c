"use server";

import { redirect } from "next/navigation";
import { createOrganisation } from "@/lib/organisations/create-organisation";
import { formStateFromError, type FormState } from "../../_lib/form-state";
import { formValues } from "../../_lib/form-values";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";

// POST (server action) — UAP-A.1: staff add a provider organisation; lib/organisations checks the ODS code.
export async function addOrganisation(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("operator", "organisations", "edit", "/staff/organisations/new");
  const values = formValues(formData) as Record<string, string>;
  const { database, config, clock } = await portal();
  let id: string;
  try {
    ({ id } = await createOrganisation({ db: database.db, actor: await webActor(config, viewer), clock, config, viewer, input: values }));
  } catch (error) {
    return formStateFromError(error, values);
  }
  redirect(`/staff/organisations/${id}?done=created`);
}
