import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appRoutes, exportedNames, fillPattern, hasUseServerDirective, matchesPattern } from "../../support/app-routes";

describe("the app's route list (tests/support/app-routes.ts)", () => {
  const routes = appRoutes();
  const pattern = (p: string) => routes.pages.find((r) => r.pattern === p);

  it("lists known pages with their dynamic segments", () => {
    expect(pattern("/")?.file).toBe("app/page.tsx");
    expect(pattern("/sign-in")).toMatchObject({ dynamic: false, params: [] });
    expect(pattern("/portal/requests/[id]")).toMatchObject({ file: "app/portal/requests/[id]/page.tsx", dynamic: true, params: ["id"] });
    expect(pattern("/staff/organisations/[id]/cases/[caseId]")?.params).toEqual(["id", "caseId"]);
    // Every page file on disk is in the list, and nothing else.
    expect(routes.pages.every((p) => p.file.endsWith("/page.tsx"))).toBe(true);
    expect(routes.pages.length).toBeGreaterThanOrEqual(40);
  });

  it("lists route handlers with their methods and runtime", () => {
    const health = routes.handlers.find((h) => h.pattern === "/api/health");
    expect(health).toMatchObject({ methods: ["GET"], runtime: "edge", mutating: false });
    const cron = routes.handlers.find((h) => h.pattern === "/api/cron/[job]");
    expect(cron).toMatchObject({ methods: ["GET", "POST"], mutating: true, params: ["job"] });
    expect(routes.handlers.map((h) => h.pattern)).toContain("/staff/audit/export");
  });

  it("lists server-action files, their exported actions and the pages that host them", () => {
    const reset = routes.actions.find((a) => a.file === "app/reset/actions.ts");
    expect(reset?.exports).toEqual(["askForReset", "chooseNewSecret"]);
    expect(reset?.hostPages).toEqual(expect.arrayContaining(["/reset", "/reset/[token]"]));
    const cases = routes.actions.find((a) => a.file === "app/staff/organisations/[id]/cases/actions.ts");
    expect(cases?.hostPages).toEqual(expect.arrayContaining(["/staff/organisations/[id]/cases/new", "/staff/organisations/[id]/cases/[caseId]"]));
    const signOut = routes.actions.find((a) => a.file === "app/sign-out/actions.ts");
    expect(signOut?.hostLayouts).toContain("app/layout.tsx");
    // Every action file is hosted somewhere: an action no page renders is dead code or a bypass.
    for (const a of routes.actions) {
      expect(a.exports.length, a.file).toBeGreaterThan(0);
      expect(a.hostPages.length + a.hostLayouts.length, a.file).toBeGreaterThan(0);
    }
  });

  it("honours route groups, private folders, slots and catch-alls", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "app-routes-"));
    const put = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    put("app/(marketing)/about/page.tsx", "export default function P() { return null; }");
    put("app/_parts/page.tsx", "export default function P() { return null; }");
    put("app/docs/[[...slug]]/page.tsx", "export default function P() { return null; }");
    put("app/files/[...path]/route.ts", "export async function DELETE() { return new Response(); }\n// export function GET() {}");
    put("app/@modal/login/page.tsx", "import { go } from '../../../lib/act';\nexport default function P() { return null; }");
    put("lib/act.ts", "'use server';\nexport async function go() {}\nexport const stop = async () => {};");
    try {
      const r = appRoutes(root);
      expect(r.pages.map((p) => p.pattern)).toEqual(["/about", "/docs/[[...slug]]", "/login"]);
      expect(r.handlers).toEqual([expect.objectContaining({ pattern: "/files/[...path]", methods: ["DELETE"], mutating: true })]);
      expect(r.actions).toEqual([expect.objectContaining({ file: "lib/act.ts", exports: ["go", "stop"], hostPages: ["/login"] })]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fills and matches patterns", () => {
    expect(fillPattern("/staff/organisations/[id]/cases/[caseId]", { id: "7", caseId: "a b" })).toBe("/staff/organisations/7/cases/a%20b");
    expect(fillPattern("/docs/[[...slug]]")).toBe("/docs");
    expect(() => fillPattern("/portal/requests/[id]")).toThrow(/no value/);
    expect(matchesPattern("/portal/requests/[id]", "/portal/requests/12")).toBe(true);
    expect(matchesPattern("/portal/requests/[id]", "/portal/requests")).toBe(false);
    expect(matchesPattern("/portal/requests/new", "/portal/requests/new/x")).toBe(false);
  });

  it("reads directives and exports, ignoring comments", () => {
    expect(hasUseServerDirective('"use server";\nexport async function a() {}')).toBe(true);
    expect(hasUseServerDirective('// "use server";\nexport async function a() {}')).toBe(false);
    expect(hasUseServerDirective('import x from "y";\n"use server";')).toBe(false);
    expect(exportedNames("export { a, b as c };\n/* export function d() {} */")).toEqual(["a", "c"]);
  });
});
