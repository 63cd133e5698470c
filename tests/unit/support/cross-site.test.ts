import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appRoutes, moduleReach, repoRoot } from "../../support/app-routes";

/**
 * Issue 11, security checks: every mutation is protected against cross-site requests.
 * Server actions have Next's own Origin check (the fuzz run, tests/e2e/bad-input.spec.ts,
 * posts each one from another site and sees it refused). A route handler has no such check,
 * so each one that accepts POST, PUT, PATCH or DELETE must either call the same-origin check
 * (lib/web/same-origin.ts, isSameOriginPost) or be authenticated by a bearer secret that a
 * browser never sends by itself (lib/jobs/cron-auth.ts) — never by the session cookie alone.
 */

const SAME_ORIGIN_CHECK = /\bisSameOriginPost\s*\(/;
const BEARER_CHECK = /\bcronAuthorisation\s*\(/;

function defences(file: string): string[] {
  const reach = [...moduleReach(file)].filter((f) => f.startsWith("app/") || f === file);
  const found: string[] = [];
  for (const f of reach) {
    const source = readFileSync(path.join(repoRoot, f), "utf8");
    if (SAME_ORIGIN_CHECK.test(source)) found.push(`same-origin check in ${f}`);
    if (BEARER_CHECK.test(source)) found.push(`bearer secret in ${f}`);
  }
  return found;
}

describe("cross-site requests", () => {
  const mutating = appRoutes().handlers.filter((h) => h.mutating);

  it("finds the mutating route handlers (the list cannot be empty by mistake)", () => {
    expect(mutating.map((h) => h.pattern)).toContain("/api/cron/[job]");
  });

  it.each(mutating.map((h) => [h.pattern, h.file] as const))("%s refuses cross-site requests before it changes anything", (_pattern, file) => {
    expect(defences(file), `${file} accepts a mutating method without a same-origin or bearer check`).not.toEqual([]);
  });

  it("the check is found only where it is called: a handler without one is caught", () => {
    expect(defences("app/api/health/route.ts")).toEqual([]);
  });
});
