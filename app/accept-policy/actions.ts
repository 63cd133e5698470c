"use server";

import { redirect } from "next/navigation";
import { acceptPolicies } from "@/lib/auth/policy-acceptance";
import { formOf, type FormState } from "../_lib/form-state";
import { portal } from "../_lib/portal";
import { webActor } from "../_lib/request-context";
import { requireViewer } from "../_lib/viewer";

// POST (server action) — AUP-5.1a: accept the current version of the policies.
export async function accept(_prev: FormState, formData: FormData): Promise<FormState> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireViewer({ skipPolicyCheck: true });
  if (formData.get("acceptPolicy") !== "yes") {
    return { ok: false, fieldErrors: { acceptPolicy: "Confirm that you have read and accept the policy to carry on" } };
  }
  const { database, config, clock } = await portal();
  const actor = await webActor(config, viewer);
  await database.db.transaction((tx) => acceptPolicies(tx, config, clock, actor, { id: viewer.accountId, organisationId: viewer.organisationId }));
  redirect("/home");
}
