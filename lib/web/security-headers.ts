/**
 * The security headers every response carries (issue 3, protection in depth). A pure
 * function of the nonce and the mode, so it is unit-tested without a server.
 */
export function contentSecurityPolicy(nonce: string, options: { production: boolean }): string {
  const script = [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`, ...(options.production ? [] : [`'unsafe-eval'`])];
  return [
    `default-src 'self'`,
    `script-src ${script.join(" ")}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
    `base-uri 'none'`,
    `object-src 'none'`,
    ...(options.production ? [`upgrade-insecure-requests`] : []),
  ].join("; ");
}

export function securityHeaders(nonce: string, options: { production: boolean; https: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, options),
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.production && options.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** Paths for signed-in people only; the proxy turns the signed-out away before anything renders. */
const PROTECTED_PREFIXES = ["/home", "/portal", "/staff", "/account", "/accept-policy"];

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
