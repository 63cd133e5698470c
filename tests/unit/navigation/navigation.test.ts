import { describe, expect, it } from "vitest";
import { grantsFor } from "@/lib/auth/permissions";
import { loadConfig } from "@/lib/config";
import { functionsFor, navigationFor, providerFunctions, staffFunctions } from "@/lib/navigation/navigation";

const config = loadConfig({});
const viewerWith = (audience: "provider" | "operator", roleKeys: string[]) => ({ audience, grants: grantsFor(config, roleKeys) });
const hrefs = (items: { href: string }[]) => items.map((i) => i.href);

describe("navigation from grants (AUP-5.1d)", () => {
  it("AUP-5.1d a Lead correspondent's menu holds every provider function", () => {
    expect(hrefs(navigationFor(viewerWith("provider", ["lead_correspondent"])))).toEqual([
      "/portal",
      "/portal/contacts",
      "/portal/purchase-orders",
      "/portal/contracts",
      "/portal/queries",
      "/portal/payments",
      "/portal/users",
      "/portal/requests",
      "/portal/reviews",
      "/account",
    ]);
  });

  it("AUP-5.1d Finance sees no contracts and no users", () => {
    const items = hrefs(functionsFor(viewerWith("provider", ["finance"])));
    expect(items).toEqual(["/portal/contacts", "/portal/purchase-orders", "/portal/queries", "/portal/payments"]);
  });

  it("AUP-5.1d Read only sees contacts and purchase orders only", () => {
    expect(hrefs(functionsFor(viewerWith("provider", ["read_only"])))).toEqual(["/portal/contacts", "/portal/purchase-orders"]);
  });

  it("an account with no role sees home and its account only", () => {
    expect(hrefs(navigationFor(viewerWith("provider", [])))).toEqual(["/portal", "/account"]);
  });

  it("roles combine: the menu is the union of what each opens", () => {
    const items = hrefs(functionsFor(viewerWith("provider", ["read_only", "finance"])));
    expect(items).toContain("/portal/payments");
    expect(items).not.toContain("/portal/contracts");
  });

  it("the auditor's back office has no queue tools that need edit", () => {
    const items = hrefs(functionsFor(viewerWith("operator", ["auditor"])));
    expect(items).toEqual(["/staff/requests", "/staff/organisations", "/staff/contracts", "/staff/queries", "/staff/reviews", "/staff/intake", "/staff/audit", "/staff/flagged-lookups"]);
  });

  it("provider grants never open staff pages and operator grants never open provider pages", () => {
    expect(functionsFor(viewerWith("operator", ["team_lead"])).every((e) => e.href.startsWith("/staff/"))).toBe(true);
    expect(functionsFor(viewerWith("provider", ["lead_correspondent"])).every((e) => e.href.startsWith("/portal/"))).toBe(true);
  });

  it("every entry names the grant its page checks", () => {
    for (const entry of [...providerFunctions, ...staffFunctions]) expect(entry.requires).toBeDefined();
  });
});
