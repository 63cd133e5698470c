"use server";

import { redirect } from "next/navigation";
import { requestSecretReset, resetRequestSchema } from "@/lib/auth/recovery/request-secret-reset";
import { completeSecretReset } from "@/lib/auth/recovery/complete-secret-reset";
import { fieldErrorsOf } from "@/lib/validation";
import { deps } from "../_lib/portal";
import { clientInfo } from "../_lib/request-context";
import { formStateFromError, formText, type FormState } from "../_lib/form-state";

// POST (server action) — ask for a reset link; the answer is the same whether or not the address has an account.
export async function askForReset(_prev: FormState, formData: FormData): Promise<FormState> {
  const email = formText(formData, "email");
  const parsed = resetRequestSchema.safeParse({ email, which: formData.get("which") ?? undefined });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values: { email, which: formText(formData, "which") } };
  const d = await deps();
  try {
    await requestSecretReset(d, parsed.data, await clientInfo(d.config));
  } catch (error) {
    // Too many reset requests: said in words on the form (anything else is rethrown).
    return formStateFromError(error, { email, which: formText(formData, "which") });
  }
  redirect("/reset/sent");
}

// POST (server action) — choose the new secret from the emailed link.
export async function chooseNewSecret(token: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const d = await deps();
  try {
    await completeSecretReset(d, { token, secret: formText(formData, "secret"), confirm: formText(formData, "confirm") }, await clientInfo(d.config));
  } catch (error) {
    return formStateFromError(error);
  }
  redirect("/sign-in?reset=1");
}
