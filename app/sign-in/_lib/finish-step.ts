import "server-only";
import type { SignInStep } from "@/lib/auth/sign-in/submit-security-digits";
import { establishSessionCookie, setSessionCookie } from "../../_lib/establish-session";
import { clearAttemptCookie } from "../../_lib/sign-in-cookie";
import { seeOther } from "./sign-in-post";

/** Where a step leads: the emailed code, the one generic failure, or — complete — a session and home. */
export async function finishStep(step: SignInStep, attemptId: string): Promise<Response> {
  if (step.next === "signed_in") {
    await setSessionCookie(step.session);
    return seeOther("/home");
  }
  if (step.next === "email_code") return seeOther("/sign-in/email-code");
  if (step.next === "failed") {
    await clearAttemptCookie();
    return seeOther("/sign-in?failed=1");
  }
  return seeOther((await establishSessionCookie(attemptId)) ? "/home" : "/sign-in?failed=1");
}
