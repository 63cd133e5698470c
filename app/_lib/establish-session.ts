import "server-only";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/next-auth";
import { clearAttemptCookie, makeAuthCookieSessionOnly } from "./sign-in-cookie";

/** Hands a completed sign-in attempt to next-auth, which makes the session and its cookie. */
export async function establish(attemptId: string): Promise<void> {
  let failed = false;
  try {
    await signIn("credentials", { attemptId, redirect: false });
  } catch {
    failed = true;
  }
  await clearAttemptCookie();
  if (failed) redirect("/sign-in?failed=1");
  await makeAuthCookieSessionOnly();
}
