import { describe, expect, it } from "vitest";
import { isSameOriginPost } from "@/lib/web/same-origin";

const portal = "https://portal.example.org";
const post = (headers: Record<string, string>) => isSameOriginPost(new Headers(headers), portal);

describe("same-origin check for the sign-in forms' route handlers (CSRF)", () => {
  it("accepts a post whose Origin is PORTAL_URL's", () => {
    expect(post({ origin: "https://portal.example.org", host: "internal:3000" })).toBe(true);
  });

  it("accepts a post whose Origin is the host it was addressed to, as Next does for server actions", () => {
    expect(post({ origin: "http://127.0.0.1:3100", host: "127.0.0.1:3100" })).toBe(true);
    expect(post({ origin: "https://portal.example.org", "x-forwarded-host": "portal.example.org" })).toBe(true);
  });

  it("refuses a post from another site, whatever Sec-Fetch-Site claims", () => {
    expect(post({ origin: "https://evil.example.com", host: "portal.example.org" })).toBe(false);
    expect(post({ origin: "https://portal.example.org.evil.example.com", host: "portal.example.org" })).toBe(false);
    expect(post({ origin: "http://portal.example.org", host: "other.example.org" })).toBe(false);
    expect(post({ origin: "https://evil.example.com", "sec-fetch-site": "same-origin", host: "portal.example.org" })).toBe(false);
  });

  it("refuses an opaque (null) Origin and an unreadable one", () => {
    expect(post({ origin: "null", "sec-fetch-site": "same-origin", host: "portal.example.org" })).toBe(false);
    expect(post({ origin: "not a url", host: "portal.example.org" })).toBe(false);
  });

  it("without Origin, trusts only Sec-Fetch-Site: same-origin; with neither header, refuses", () => {
    expect(post({ "sec-fetch-site": "same-origin", host: "portal.example.org" })).toBe(true);
    expect(post({ "sec-fetch-site": "cross-site", host: "portal.example.org" })).toBe(false);
    expect(post({ "sec-fetch-site": "same-site", host: "portal.example.org" })).toBe(false);
    expect(post({ host: "portal.example.org" })).toBe(false);
  });
});
