"use server";

import { redirect } from "next/navigation";
import { submitRequest } from "@/lib/requests/submit-request";
import { formStateFromError, type FormState } from "../../_lib/form-state";
import { formValues } from "../../_lib/form-values";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";

/** Fields a form may post several times, and date inputs, for every request type. */
const LISTS = ["roleKeys", "outgoingRoleKeys"];
const DATES = ["endDate", "igTrainingDate"];

// POST (server action) — a Lead correspondent's request (CC-3, CC-4, AUP-6.3): parsed and checked in lib/requests.
export async function submitAccountRequest(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("provider", "users", "edit", "/portal/requests/new");
  const values = formValues(formData, { lists: LISTS, dates: DATES });
  const { database, config, clock } = await portal();
  let requestId: string;
  try {
    ({ requestId } = await submitRequest({
      db: database.db,
      actor: await webActor(config, viewer),
      clock,
      config,
      input: { ...values, organisationId: viewer.organisationId },
    }));
  } catch (error) {
    const state = formStateFromError(error, Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === "string")) as Record<string, string>);
    return { ...state, values: { ...state.values, ...listValues(values) } };
  }
  redirect(`/portal/requests/${requestId}?submitted=1`);
}

/** Checkbox lists go back into the form as comma-joined values. */
function listValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(LISTS.filter((k) => Array.isArray(values[k])).map((k) => [k, (values[k] as string[]).join(",")]));
}
