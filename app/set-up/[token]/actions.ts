"use server";

import { redirect } from "next/navigation";
import { completeAccountSetup } from "@/lib/auth/account-setup/complete-account-setup";
import { deps } from "../../_lib/portal";
import { clientInfo } from "../../_lib/request-context";
import { establish } from "../../_lib/establish-session";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";

// POST (server action) — CC-6: the user chooses their secrets, accepts the AUP and is signed in.
export async function completeSetup(token: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const d = await deps();
  let attemptId: string;
  try {
    ({ attemptId } = await completeAccountSetup(
      d,
      {
        token,
        password: formText(formData, "password"),
        passwordConfirm: formText(formData, "passwordConfirm"),
        securityNumber: formText(formData, "securityNumber"),
        securityNumberConfirm: formText(formData, "securityNumberConfirm"),
        acceptPolicy: formData.get("acceptPolicy") === "yes",
      },
      await clientInfo(d.config),
    ));
  } catch (error) {
    return formStateFromError(error);
  }
  await establish(attemptId);
  redirect("/home?welcome=1");
}
