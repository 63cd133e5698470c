"use server";

import { redirect } from "next/navigation";
import { startSignIn, passwordStepSchema } from "@/lib/auth/sign-in/start-sign-in";
import { submitSecurityDigits, digitsStepSchema, type SignInStep } from "@/lib/auth/sign-in/submit-security-digits";
import { submitEmailCode, emailCodeStepSchema } from "@/lib/auth/sign-in/submit-email-code";
import { fieldErrorsOf } from "@/lib/validation";
import { deps } from "../_lib/portal";
import { clientInfo } from "../_lib/request-context";
import { clearAttemptCookie, readAttemptCookie, setAttemptCookie } from "../_lib/sign-in-cookie";
import { establish } from "../_lib/establish-session";
import { formText, type FormState } from "../_lib/form-state";

// POST (server action) — sign-in step 1: email and password.
export async function submitPassword(_prev: FormState, formData: FormData): Promise<FormState> {
  const email = formText(formData, "email");
  const parsed = passwordStepSchema.safeParse({ email, password: formText(formData, "password") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values: { email } };
  const d = await deps();
  const { attemptId } = await startSignIn(d, parsed.data, await clientInfo(d.config));
  await setAttemptCookie(attemptId);
  redirect("/sign-in/security-number");
}

// POST (server action) — sign-in step 2: the asked digits of the security number.
export async function submitDigits(_prev: FormState, formData: FormData): Promise<FormState> {
  const attemptId = await readAttemptCookie();
  if (!attemptId) redirect("/sign-in?expired=1");
  const digits = formData.getAll("digit").map((d) => (typeof d === "string" ? d.trim() : ""));
  const parsed = digitsStepSchema.safeParse({ attemptId, digits });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    digits.forEach((d, i) => {
      if (!/^\d$/.test(d)) errors[`digit-${i}`] = "Enter one digit, 0 to 9";
    });
    return { ok: false, fieldErrors: Object.keys(errors).length ? errors : fieldErrorsOf(parsed.error) };
  }
  const d = await deps();
  const step = await submitSecurityDigits(d, parsed.data, await clientInfo(d.config));
  return finishStep(step, attemptId);
}

// POST (server action) — sign-in step 3, off trusted networks: the emailed one-time code.
export async function submitCode(_prev: FormState, formData: FormData): Promise<FormState> {
  const attemptId = await readAttemptCookie();
  if (!attemptId) redirect("/sign-in?expired=1");
  const parsed = emailCodeStepSchema.safeParse({ attemptId, code: formText(formData, "code") });
  if (!parsed.success) return { ok: false, fieldErrors: { code: "Enter the 6-digit code from the email" } };
  const d = await deps();
  const step = await submitEmailCode(d, parsed.data, await clientInfo(d.config));
  return finishStep(step, attemptId);
}

async function finishStep(step: SignInStep, attemptId: string): Promise<never> {
  if (step.next === "email_code") redirect("/sign-in/email-code");
  if (step.next === "failed") {
    await clearAttemptCookie();
    redirect("/sign-in?failed=1");
  }
  await establish(attemptId);
  redirect("/home");
}
