import { passwordStepMessages, passwordStepSchema, startSignIn } from "@/lib/auth/sign-in/start-sign-in";
import { deps } from "../../_lib/portal";
import { clientInfo } from "../../_lib/request-context";
import { setAttemptCookie } from "../../_lib/sign-in-cookie";
import { errorQuery } from "../_lib/form-errors";
import { field, handleSignInPost, seeOther } from "../_lib/sign-in-post";

// POST /sign-in/password — step 1 of sign-in (the form on GET /sign-in): email and password.
export function POST(request: Request): Promise<Response> {
  return handleSignInPost(request, async (form) => {
    const parsed = passwordStepSchema.safeParse({ email: field(form, "email"), password: field(form, "password") });
    if (!parsed.success) return seeOther(`/sign-in?error=${errorQuery(parsed.error, passwordStepMessages)}`);
    const d = await deps();
    // Whatever the outcome, the answer is the same: the digits step. The attempt knows.
    const { attemptId } = await startSignIn(d, parsed.data, await clientInfo(d.config));
    await setAttemptCookie(attemptId);
    return seeOther("/sign-in/security-number");
  });
}
