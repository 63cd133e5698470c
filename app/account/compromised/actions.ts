"use server";

import { redirect } from "next/navigation";
import { reportCompromise } from "@/lib/auth/recovery/report-compromise";
import { signOut as endAuthCookie } from "@/lib/auth/next-auth";
import { deps } from "../../_lib/portal";
import { clientInfo } from "../../_lib/request-context";
import { requireViewer } from "../../_lib/viewer";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";

// POST (server action) — UAP-3.3: rotate both secrets, end every session, report to the operator.
export async function reportCompromised(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireViewer({ skipPolicyCheck: true });
  const d = await deps();
  try {
    await reportCompromise(
      d,
      viewer.accountId,
      {
        password: formText(formData, "password"),
        passwordConfirm: formText(formData, "passwordConfirm"),
        securityNumber: formText(formData, "securityNumber"),
        securityNumberConfirm: formText(formData, "securityNumberConfirm"),
        note: formText(formData, "note"),
      },
      await clientInfo(d.config),
    );
  } catch (error) {
    return formStateFromError(error);
  }
  await endAuthCookie({ redirect: false });
  redirect("/sign-out?reason=compromise");
}
