import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES, malformedPath, needsBodyCheck, refuseByBody, refuseByHeaders } from "@/lib/web/request-guard";
import { deepJsonText, hostileString } from "@/tests/unit/property/hostile";

/** Issue 11: the gate refuses, in words, what Next would answer with a bare 500. */

const PORTAL = "https://portal.example.org";
const headers = (h: Record<string, string>) => new Headers(h);
const post = (pathname: string, h: Record<string, string>) => refuseByHeaders({ method: "POST", pathname, headers: headers(h), portalUrl: PORTAL });

describe("request guard", () => {
  it("refuses a path that does not decode (overlong UTF-8, a stray %), and only those", () => {
    expect(malformedPath("/policies/%C0%AF")).toBe(true);
    expect(malformedPath("/reset/%E2%82")).toBe(true);
    expect(malformedPath("/x/%")).toBe(true);
    expect(malformedPath("/portal/requests/123")).toBe(false);
    expect(malformedPath("/policies/caf%C3%A9")).toBe(false);
    expect(refuseByHeaders({ method: "GET", pathname: "/reset/%C0%AF", headers: headers({}), portalUrl: PORTAL })?.status).toBe(400);
    // Whatever a browser encodes properly decodes again: never refused.
    fc.assert(
      fc.property(hostileString, (s) => {
        let encoded: string;
        try {
          encoded = encodeURIComponent(s);
        } catch {
          return; // a lone surrogate cannot be encoded by a browser either
        }
        expect(malformedPath(`/${encoded}`)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses posts to pages from another site, or with no proof of where they came from", () => {
    expect(post("/reset", { origin: "https://evil.example" })?.status).toBe(403);
    expect(post("/reset", { origin: "null" })?.status).toBe(403);
    expect(post("/reset", {})?.status).toBe(403);
    expect(post("/reset", { origin: PORTAL })).toBeNull();
    expect(post("/reset", { "sec-fetch-site": "same-origin" })).toBeNull();
    // Route handlers under /api check their own callers (the cron endpoint's bearer secret).
    expect(post("/api/cron/due", {})).toBeNull();
    expect(refuseByHeaders({ method: "GET", pathname: "/reset", headers: headers({ origin: "https://evil.example" }), portalUrl: PORTAL })).toBeNull();
  });

  it("refuses a body over the server-action limit before it is read; next.config.ts sets the same limit", () => {
    expect(post("/portal/requests/bulk", { origin: PORTAL, "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) })?.status).toBe(413);
    expect(post("/portal/requests/bulk", { origin: PORTAL, "content-length": String(5 * 1024 * 1024) })).toBeNull();
    const config = readFileSync(new URL("../../../next.config.ts", import.meta.url), "utf8");
    expect(config).toContain(`bodySizeLimit: "${ACTION_BODY_LIMIT_BYTES / 1024 / 1024}mb"`);
  });

  const action = (body: BodyInit, type?: string) =>
    refuseByBody(new Request(`${PORTAL}/reset`, { method: "POST", body, headers: { "next-action": "40abc", ...(type ? { "content-type": type } : {}) } }));

  it("lets through the calls React makes: an argument list with the form, or without unused arguments", async () => {
    const form = new FormData();
    form.append("0", JSON.stringify(["a-bound-token", { ok: true, fieldErrors: {} }, "$K1"]));
    form.append("1_email", "jo@nhs.net");
    expect(await action(form)).toBeNull();
    // Next leaves out arguments an action does not use: signing out is called with none.
    expect(await action("[]", "text/plain;charset=UTF-8")).toBeNull();
    const noJs = new FormData();
    noJs.append("$ACTION_ID_40abc", "");
    noJs.append("email", "jo@nhs.net");
    expect(await refuseByBody(new Request(`${PORTAL}/reset`, { method: "POST", body: noJs }))).toBeNull();
  });

  it("refuses bodies no page of the portal sends: wrong shapes, deep nesting, broken multipart, JSON", async () => {
    expect((await action('{"0":"$K1"}', "text/plain"))?.status).toBe(400);
    expect((await action(deepJsonText(50_000), "text/plain"))?.status).toBe(400);
    expect((await action("[", "text/plain"))?.status).toBe(400);
    expect((await action('{"email":"x"}', "application/json"))?.status).toBe(400);
    expect((await action('--XYZ\r\nContent-Disposition: form-data; name="0"\r\n\r\nunterminated', "multipart/form-data; boundary=XYZ"))?.status).toBe(400);
    // References to parts that were never sent (a promise, a map, a temporary or server reference).
    expect((await action('["$K1","$Q2","$@3","$T","$h"]', "text/plain"))?.status).toBe(400);
    expect((await action('[{"nested":["$@1"]}]', "text/plain"))?.status).toBe(400);
    expect(await action('["$$literal dollar","$undefined","$D2026-01-01T00:00:00.000Z","$n12",{"ok":true}]', "text/plain")).toBeNull();
    const noList = new FormData();
    noList.append("0", JSON.stringify({ a: "$K1" }));
    expect((await action(noList))?.status).toBe(400);
    expect(needsBodyCheck("POST", "/api/cron/due")).toBe(false);
    expect(needsBodyCheck("GET", "/reset")).toBe(false);
  });
});
