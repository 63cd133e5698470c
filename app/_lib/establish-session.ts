import "server-only";
import { redirect } from "next/navigation";
import { issueSessionToken, signIn } from "@/lib/auth/next-auth";
import { clearAttemptCookie, makeAuthCookieSessionOnly, setAuthCookie } from "./sign-in-cookie";

/**
 * Sets the authentication cookie for a session the sign-in steps have already opened (in the
 * transaction that checked the last step), and ends the attempt's cookie. The cookie is
 * next-auth's own JWT (see issueSessionToken); no second round through next-auth's sign-in.
 */
export async function setSessionCookie(session: { sessionId: string; accountId: string }): Promise<void> {
  await setAuthCookie(await issueSessionToken(session));
  await clearAttemptCookie();
}

/**
 * Hands a completed sign-in attempt to next-auth, which makes the session and its cookie.
 * Returns false when the attempt could not become a session (already used, expired, the
 * account no longer active); the attempt cookie is cleared either way.
 */
export async function establishSessionCookie(attemptId: string): Promise<boolean> {
  let established = true;
  try {
    await signIn("credentials", { attemptId, redirect: false });
  } catch (error) {
    // next-auth reports a refused attempt (authorize returned null) as CredentialsSignin; anything else is a fault.
    // (Compared by its type name: next-auth's error classes may come from another bundle.)
    if (!(error instanceof Error && (error as Error & { type?: unknown }).type === "CredentialsSignin")) throw error;
    established = false;
  }
  await clearAttemptCookie();
  if (established) await makeAuthCookieSessionOnly();
  return established;
}

/** The same, for a server action (account set-up): a refused attempt goes back to sign-in with the generic failure. */
export async function establish(attemptId: string): Promise<void> {
  if (!(await establishSessionCookie(attemptId))) redirect("/sign-in?failed=1");
}
