import { emailCodeStepMessages, emailCodeStepSchema, submitEmailCode } from "@/lib/auth/sign-in/submit-email-code";
import { deps } from "../../_lib/portal";
import { clientInfo } from "../../_lib/request-context";
import { readAttemptCookie } from "../../_lib/sign-in-cookie";
import { errorQuery } from "../_lib/form-errors";
import { finishStep } from "../_lib/finish-step";
import { field, handleSignInPost, seeOther } from "../_lib/sign-in-post";

// POST /sign-in/code — step 3, off trusted networks (the form on GET /sign-in/email-code): the emailed code.
export function POST(request: Request): Promise<Response> {
  return handleSignInPost(request, async (form) => {
    const attemptId = await readAttemptCookie();
    if (!attemptId) return seeOther("/sign-in?expired=1");
    const parsed = emailCodeStepSchema.safeParse({ attemptId, code: field(form, "code") });
    if (!parsed.success) {
      const query = errorQuery(parsed.error, emailCodeStepMessages);
      return seeOther(query ? `/sign-in/email-code?error=${query}` : "/sign-in?failed=1");
    }
    const d = await deps();
    return finishStep(await submitEmailCode(d, parsed.data, await clientInfo(d.config)), attemptId);
  });
}
