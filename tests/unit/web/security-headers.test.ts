import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isProtectedPath, securityHeaders } from "@/lib/web/security-headers";

describe("security headers", () => {
  it("AUP-5.2d the CSP allows scripts only from this origin with this response's nonce, and no framing", () => {
    const csp = contentSecurityPolicy("abc123==", { production: true });
    expect(csp).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("form-action 'self'");
  });

  it("allows eval only in development, where React needs it", () => {
    expect(contentSecurityPolicy("n", { production: false })).toContain("'unsafe-eval'");
  });

  it("sends HSTS only in production over HTTPS", () => {
    expect(securityHeaders("n", { production: true, https: true })["Strict-Transport-Security"]).toMatch(/max-age=\d{8}/);
    expect(securityHeaders("n", { production: true, https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders("n", { production: false, https: true })).not.toHaveProperty("Strict-Transport-Security");
  });

  it("always sends Referrer-Policy and Permissions-Policy", () => {
    const headers = securityHeaders("n", { production: false, https: false });
    expect(headers["Referrer-Policy"]).toBe("same-origin");
    expect(headers["Permissions-Policy"]).toContain("geolocation=()");
  });

  it("protects signed-in areas and leaves public pages open", () => {
    for (const path of ["/home", "/portal", "/portal/users", "/staff", "/staff/outbox/1", "/account", "/account/compromised", "/accept-policy"]) {
      expect(isProtectedPath(path), path).toBe(true);
    }
    for (const path of ["/", "/sign-in", "/sign-in/security-number", "/set-up/abc", "/reset", "/privacy", "/cookies", "/policies", "/portals", "/staffing"]) {
      expect(isProtectedPath(path), path).toBe(false);
    }
  });
});
