import "server-only";
import { cookies } from "next/headers";
import { AUTH_COOKIE } from "@/lib/auth/next-auth";

/**
 * The session cookie of PRIV-7: it binds a browser to its sign-in attempt between steps.
 * Like the authentication cookie it has no Expires or Max-Age, so it dies with the browser.
 */
export const ATTEMPT_COOKIE = "portal.session";

const secure = () => process.env.NODE_ENV === "production" && (process.env.PORTAL_URL ?? "").startsWith("https://");

export async function setAttemptCookie(attemptId: string): Promise<void> {
  (await cookies()).set(ATTEMPT_COOKIE, attemptId, { httpOnly: true, sameSite: "lax", path: "/", secure: secure() });
}

export async function readAttemptCookie(): Promise<string | null> {
  return (await cookies()).get(ATTEMPT_COOKIE)?.value ?? null;
}

export async function clearAttemptCookie(): Promise<void> {
  (await cookies()).delete(ATTEMPT_COOKIE);
}

/** The authentication cookie (next-auth's JWT), as a session cookie: no Expires or Max-Age (PRIV-7). */
export async function setAuthCookie(token: string): Promise<void> {
  (await cookies()).set(AUTH_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", secure: secure() });
}

/**
 * next-auth gives its cookie an expiry; PRIV-7 wants it to end with the browser. Re-set the
 * same value without one, and drop next-auth's callback-url cookie, which we never use.
 */
export async function makeAuthCookieSessionOnly(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(AUTH_COOKIE);
  if (token) await setAuthCookie(token.value);
  for (const c of jar.getAll()) if (c.name !== AUTH_COOKIE && c.name !== ATTEMPT_COOKIE && c.name.includes("authjs")) jar.delete(c.name);
}
