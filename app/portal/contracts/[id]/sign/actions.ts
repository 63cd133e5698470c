"use server";

import { notFound, redirect } from "next/navigation";
import { signContract } from "@/lib/contracts/sign-contract";
import { contractIdSchema } from "@/lib/contracts/schema";
import { isAppError } from "@/lib/errors";
import { formStateFromError, formText, type FormState } from "../../../../_lib/form-state";
import { portal } from "../../../../_lib/portal";
import { webActor } from "../../../../_lib/request-context";
import { auditRefusal, requireAccess } from "../../../../_lib/viewer";

// POST (server action) — the provider signs a contract: typed name, security-number digits (contracts:edit, AUP-2.1c).
export async function signContractAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const contractId = contractIdSchema.safeParse(formText(formData, "contractId"));
  if (!contractId.success) notFound();
  const path = `/portal/contracts/${contractId.data}/sign`;
  const viewer = await requireAccess("provider", "contracts", "edit", path);
  const values = { typedName: formText(formData, "typedName") };
  const input = {
    challengeId: formText(formData, "challengeId"),
    typedName: values.typedName,
    digits: formData.getAll("digit").map((d) => (typeof d === "string" ? d.trim() : "")),
    confirm: formText(formData, "confirm"),
  };
  const { database, config, clock, secretsKey } = await portal();
  try {
    const outcome = await signContract({ db: database.db, actor: await webActor(config, viewer), clock, config, viewer, secretsKey, contractId: contractId.data, input });
    if (!outcome.ok) redirect(`${path}?problem=${outcome.reason}`);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      await auditRefusal(viewer, { path, kind: "contracts", level: "edit" });
      notFound();
    }
    if (isAppError(error) && error.fieldErrors.digits) return { ok: false, fieldErrors: { "digit-0": "Enter one digit in each box" }, values };
    return formStateFromError(error, values);
  }
  redirect(`/portal/contracts/${contractId.data}?signed=1`);
}
