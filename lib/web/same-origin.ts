/**
 * CSRF protection for form posts that reach a route handler (server actions have Next's own
 * check built in). A browser sends Origin with every cross-site and every same-site POST
 * (Sec-Fetch-Site too, in current browsers); a page on another site cannot forge either. The
 * post is accepted only when its Origin is the portal's own — PORTAL_URL's origin, or the
 * host the request was addressed to, which is what Next compares for server actions — or,
 * when no Origin came at all, when Sec-Fetch-Site says the post came from the same origin.
 * With neither header there is no proof of where the post came from, so it is refused.
 */
export function isSameOriginPost(headers: Headers, portalUrl: string): boolean {
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    let given: URL;
    try {
      given = new URL(origin);
    } catch {
      return false;
    }
    if (given.origin === originOf(portalUrl)) return true;
    const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
    return Boolean(host) && given.host === host;
  }
  if (origin === "null") return false;
  return headers.get("sec-fetch-site") === "same-origin";
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
