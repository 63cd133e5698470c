import { digitsStepMessages, digitsStepSchema, submitSecurityDigits } from "@/lib/auth/sign-in/submit-security-digits";
import { deps } from "../../_lib/portal";
import { clientInfo } from "../../_lib/request-context";
import { readAttemptCookie } from "../../_lib/sign-in-cookie";
import { errorQuery } from "../_lib/form-errors";
import { finishStep } from "../_lib/finish-step";
import { handleSignInPost, seeOther } from "../_lib/sign-in-post";

// POST /sign-in/digits — step 2 (the form on GET /sign-in/security-number): the asked digits.
export function POST(request: Request): Promise<Response> {
  return handleSignInPost(request, async (form) => {
    const attemptId = await readAttemptCookie();
    if (!attemptId) return seeOther("/sign-in?expired=1");
    const digits = form.getAll("digit").map((d) => (typeof d === "string" ? d.trim() : ""));
    const parsed = digitsStepSchema.safeParse({ attemptId, digits });
    if (!parsed.success) {
      // A box left empty or holding a letter: ask again on the same attempt, naming the box.
      const query = errorQuery(parsed.error, digitsStepMessages, (path) => (path[0] === "digits" && typeof path[1] === "number" ? { name: `digit-${path[1]}`, lookupAs: "digit" } : { name: "form" }));
      return seeOther(query ? `/sign-in/security-number?error=${query}` : "/sign-in?failed=1");
    }
    const d = await deps();
    // On a trusted network the session opens in the transaction that checks the digits.
    return finishStep(await submitSecurityDigits(d, parsed.data, await clientInfo(d.config), { openSession: true }), attemptId);
  });
}
