import { createHmac } from "node:crypto";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import type { Portal } from "../runtime/open-portal";
import { getPortal } from "../runtime/server-portal";
import { authDeps } from "../runtime/auth-deps";
import { checkSession, establishSession } from "./sessions";
import { AUTH_COOKIE, encodeSessionToken, sessionClaims, sessionFromToken, type SessionIds } from "./session-token";
import { eventLog } from "../log";

export { AUTH_COOKIE };

declare module "next-auth" {
  interface Session {
    sessionId: string;
    accountId: string;
  }
  interface User {
    sessionId?: string;
  }
}

const credentialsSchema = z.object({ attemptId: z.uuid() });

const authSecret = (portal: Portal) => process.env.AUTH_SECRET || createHmac("sha256", portal.secretsKey).update("next-auth session secret").digest("base64");
const sessionMaxAge = (portal: Portal) => portal.config.sessions.absoluteHours * 3600;

/**
 * The value of the authentication cookie for a session our own steps opened (the sign-in
 * form's step 2 opens it in the same transaction that checks the digits): next-auth's JWT,
 * made by next-auth's encoder with the secret, salt and lifetime of the config below, exactly
 * as its Credentials sign-in would make it — and read back by sessionFromCookie on every request.
 */
export async function issueSessionToken(session: { sessionId: string; accountId: string }): Promise<string> {
  const portal = await getPortal();
  return encodeSessionToken(authSecret(portal), session, sessionMaxAge(portal));
}

/**
 * The live session the request's authentication cookie names, or null (sessionFromToken).
 * The proxy and the pages' viewer read the session through this rather than `auth()`, which
 * runs next-auth's whole request pipeline for it; no cookie (every signed-out page, the
 * sign-in pages) costs nothing.
 */
export async function sessionFromCookie(token: string | undefined): Promise<SessionIds | null> {
  if (!token) return null;
  const portal = await getPortal();
  return sessionFromToken(authDeps(portal), authSecret(portal), token);
}

/**
 * next-auth v5 for provider users and operator staff alike. The Credentials provider takes a
 * sign-in attempt that our own steps completed (password, digits, emailed code) and turns it
 * into a session row; the JWT carries that row's id, checked on every request, so sign-out,
 * suspension, role change or a rotated secret ends it at once.
 */
export const { auth, signIn, signOut } = NextAuth(async (): Promise<NextAuthConfig> => {
  const portal = await getPortal();
  const deps = authDeps(portal);
  const secure = process.env.NODE_ENV === "production" && portal.baseUrl.startsWith("https://");
  return {
    secret: authSecret(portal),
    trustHost: true,
    session: { strategy: "jwt", maxAge: sessionMaxAge(portal), updateAge: sessionMaxAge(portal) },
    cookies: {
      sessionToken: { name: AUTH_COOKIE, options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        credentials: { attemptId: {} },
        authorize: async (credentials) => {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const session = await establishSession(deps, parsed.data.attemptId);
          return session ? { id: session.accountId, sessionId: session.sessionId } : null;
        },
      }),
    ],
    callbacks: {
      jwt: async ({ token, user }) => {
        if (user?.sessionId && user.id) return { ...token, ...sessionClaims({ accountId: user.id, sessionId: user.sessionId }) };
        if (typeof token.sid !== "string") return null;
        const live = await checkSession(deps, token.sid);
        return live ? token : null;
      },
      session: ({ session, token }) => ({ ...session, sessionId: String(token.sid), accountId: String(token.sub) }),
    },
    logger: {
      // Failed sign-ins are expected and audited by lib/auth; keep next-auth's own noise out of the logs.
      error: (error) => {
        // Through the portal's pino logger, so its lines carry the same shape and redaction as the rest.
        if (error.name !== "CredentialsSignin") eventLog("next-auth")("error", "auth.error", { name: error.name, message: error.message });
      },
      warn: () => undefined,
      debug: () => undefined,
    },
  };
});
