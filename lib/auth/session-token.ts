import { decode, encode } from "next-auth/jwt";
import { z } from "zod";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Database } from "../db/types";
import { checkSession } from "./sessions";

/** The authentication cookie: a session cookie (no Expires/Max-Age) carrying only a session id (PRIV-7). */
export const AUTH_COOKIE = "portal.auth";

export interface SessionIds {
  sessionId: string;
  accountId: string;
}

/** What the JWT carries: the account and the session row's id, nothing more (PRIV-7). */
export const sessionClaims = (session: SessionIds) => ({ sub: session.accountId, sid: session.sessionId });
const tokenClaimsSchema = z.object({ sub: z.uuid(), sid: z.uuid() });

/** next-auth's JWT for a session, made by next-auth's own encoder (salted with the cookie's name, as next-auth does). */
export function encodeSessionToken(secret: string, session: SessionIds, maxAgeSeconds: number): Promise<string> {
  return encode({ token: sessionClaims(session), secret, salt: AUTH_COOKIE, maxAge: maxAgeSeconds });
}

/**
 * The live session a token names, or null: the JWT read back with next-auth's own decoder
 * (secret, salt, expiry) and the session row checked by checkSession (ended, idle, expired,
 * account no longer active, secrets or roles changed — AUP-5.2b). This is what next-auth's
 * `auth()` does through its jwt callback, without the Request, the CSRF token and the Response
 * it builds around that on every call.
 */
export async function sessionFromToken(deps: { db: Database; config: PortalConfig; clock: Clock }, secret: string, token: string | undefined): Promise<SessionIds | null> {
  if (!token) return null;
  let decoded: unknown;
  try {
    decoded = await decode({ token, secret, salt: AUTH_COOKIE });
  } catch {
    // Not our JWT (altered, made with another secret, expired): signed out.
    return null;
  }
  const claims = tokenClaimsSchema.safeParse(decoded);
  if (!claims.success) return null;
  const live = await checkSession(deps, claims.data.sid);
  return live && live.accountId === claims.data.sub ? live : null;
}
