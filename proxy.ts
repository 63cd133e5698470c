import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE, sessionFromCookie } from "@/lib/auth/next-auth";
import { REQUEST_ID_HEADER, loggablePath, logger, requestIdFor } from "@/lib/log";
import { needsBodyCheck, refusalPage, refuseByBody, refuseByHeaders, type Refusal } from "@/lib/web/request-guard";
import { isProtectedPath, securityHeaders } from "@/lib/web/security-headers";

/**
 * The request gate (Next 16's proxy, on the Node runtime): signed-out requests for protected
 * paths go to the sign-in page before anything renders; every response gets a fresh CSP nonce
 * and the security headers. Pages and actions still check permissions themselves (AUP-5.2d).
 */
export async function proxy(request: NextRequest) {
  const production = process.env.NODE_ENV === "production";
  const https = (process.env.PORTAL_URL ?? "").startsWith("https://") || request.nextUrl.protocol === "https:";
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders(nonce, { production, https });
  // One ID a request, in our log lines and on the response, so a person can quote it.
  const requestId = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
  headers[REQUEST_ID_HEADER] = requestId;
  logger().info({ event: "http.request", requestId, method: request.method, path: loggablePath(request.nextUrl.pathname) });

  // Requests Next itself would answer with a bare 500 (bad path, cross-site or malformed posts): refused here, in words.
  const refusal = await guard(request);
  if (refusal) {
    logger().info({ event: "http.refused", requestId, method: request.method, status: refusal.status, reason: refusal.reason });
    const page = refusalPage(refusal);
    return new NextResponse(page.body, { status: page.status, headers: { ...page.headers, ...headers } });
  }

  if (isProtectedPath(request.nextUrl.pathname)) {
    // Reads the cookie and checks the session row; it sets no cookie of its own.
    const session = await sessionFromCookie(request.cookies.get(AUTH_COOKIE)?.value);
    if (!session) {
      const response = NextResponse.redirect(new URL("/sign-in", request.nextUrl));
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    }
  }

  // Next reads the nonce from the request's CSP header and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

async function guard(request: NextRequest): Promise<Refusal | null> {
  const { pathname } = request.nextUrl;
  const byHeaders = refuseByHeaders({ method: request.method, pathname, headers: request.headers, portalUrl: process.env.PORTAL_URL ?? request.nextUrl.origin });
  if (byHeaders || !needsBodyCheck(request.method, pathname)) return byHeaders;
  // A copy: the action still reads the original.
  return refuseByBody(request.clone());
}

export const config = {
  // Static files are left alone, or stylesheets would be sent to the sign-in page.
  matcher: ["/((?!api/auth|api/health|api/ready|_next/static|_next/image|favicon.ico|assets/|govuk/|portal.css).*)"],
};
