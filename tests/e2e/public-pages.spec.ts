import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { loadConfig } from "../../lib/config";
import { expectNoAxeViolations } from "./support/axe";

/*
 * The pages anyone can read without signing in: each carries the operator's name, has one h1,
 * passes axe at WCAG 2.2 AA and fits a 320 px screen; and the clauses these pages carry.
 * The expected names and dates are read from the configuration the "portal" e2e server runs
 * with (playwright.config.ts: tests/e2e/config/e2e.json), so nothing here repeats them.
 */
const config = loadConfig({ ...process.env, PORTAL_CONFIG: fileURLToPath(new URL("./config/e2e.json", import.meta.url)) });
const { operator, policies } = config;

interface PublicPage {
  name: string;
  path: string;
  heading: string | RegExp;
  status?: number;
}

const publicPages: PublicPage[] = [
  { name: "start page", path: "/", heading: operator.shortName },
  { name: "privacy page", path: "/privacy", heading: /Privacy/ },
  { name: "cookies page", path: "/cookies", heading: /Cookies/ },
  { name: "policies page", path: "/policies", heading: /Policies/ },
  ...policies.map((policy) => ({ name: `policy page "${policy.key}"`, path: `/policies/${policy.key}`, heading: new RegExp(escapeRegExp(policy.title)) })),
  { name: "accessibility statement", path: "/accessibility", heading: /Accessibility statement/ },
  { name: "sign-in page", path: "/sign-in", heading: "Sign in" },
  { name: "page not found", path: "/no-such-page", heading: "Page not found", status: 404 },
];

const footerLinks = [
  { href: "/privacy", text: "Privacy" },
  { href: "/cookies", text: "Cookies" },
  { href: "/policies", text: "Policies" },
  { href: "/accessibility", text: "Accessibility statement" },
];

for (const target of publicPages) {
  test.describe(target.name, () => {
    test(`${target.path} shows the operator's name in the header, one h1, the footer links and no WCAG 2.2 AA failures`, async ({ page }) => {
      const response = await page.goto(target.path);
      expect(response?.status()).toBe(target.status ?? 200);

      const header = page.getByRole("banner");
      await expect(header.getByRole("link", { name: operator.name, exact: true })).toBeVisible();
      await expect(header.getByText(operator.shortName, { exact: true })).toBeVisible();

      await expect(page.locator("h1")).toHaveCount(1);
      await expect(page.locator("h1")).toContainText(target.heading);

      const footer = page.getByRole("contentinfo");
      for (const link of footerLinks) {
        await expect(footer.getByRole("link", { name: link.text, exact: true })).toHaveAttribute("href", link.href);
      }

      await expectNoAxeViolations(page);
    });

    test(`${target.path} fits a 320 px wide screen with no sideways scrolling`, async ({ page }) => {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(target.path);
      await expect(page.locator("h1")).toHaveCount(1);
      const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
      expect(scrollWidth, `${target.path} is ${scrollWidth}px wide at 320px: ${await widestElements(page)}`).toBeLessThanOrEqual(320);
    });
  });
}

test("PRIV-4 the privacy page says what is recorded, why, who sees it, how long it is kept and your rights, and names the operator's mailbox and data protection officer from configuration", async ({ page }) => {
  await page.goto("/privacy");
  for (const heading of ["What we record about you", "Why we need it", "Who can see information about you", "How long we keep it", "Your rights", "Contact us", "Data protection officer"]) {
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
  }
  const main = page.getByRole("main");
  for (const item of ["name", "work email address"]) await expect(main.getByRole("listitem").filter({ hasText: new RegExp(`^${item}$`) })).toHaveCount(1);
  await expect(main.getByRole("link", { name: operator.mailbox })).toHaveAttribute("href", `mailto:${operator.mailbox}`);

  const dpo = page.getByTestId("data-protection-officer");
  await expect(dpo).toContainText(operator.dataProtection.officer);
  await expect(dpo.getByRole("link", { name: operator.dataProtection.email })).toHaveAttribute("href", `mailto:${operator.dataProtection.email}`);
  for (const line of operator.dataProtection.postalAddress.split(",").map((l) => l.trim()).filter(Boolean)) {
    await expect(dpo.locator("address")).toContainText(line);
  }
});

test("PRIV-7 the cookie statement lists only strictly necessary cookies", async ({ page }) => {
  await page.goto("/cookies");
  const table = page.getByRole("table", { name: "Cookies this site sets" });
  const names = await table.locator("tbody tr > :first-child").allInnerTexts();
  expect(names.map((n) => n.trim())).toEqual(["portal.session", "portal.auth"]);
  const main = page.getByRole("main");
  await expect(main).toContainText("strictly necessary");
  await expect(main).toContainText(/no analytics, advertising or tracking cookies/);
  for (const attribute of ["HttpOnly", "SameSite=Lax", "Secure"]) await expect(main).toContainText(attribute);
  await expect(main).toContainText("When you close your browser");
  // No analytics, so no consent to ask for: no cookie banner anywhere.
  await expect(page.locator(".govuk-cookie-banner")).toHaveCount(0);
});

test("PRIV-7 reading the public pages sets no cookies at all", async ({ page, context }) => {
  for (const target of publicPages) await page.goto(target.path);
  expect(await context.cookies()).toEqual([]);
});

test("UAP-6.1 the policies page shows each policy's current version, effective date, last and next review dates, and links to it", async ({ page }) => {
  await page.goto("/policies");
  for (const policy of policies) {
    const card = page.getByTestId(`policy-${policy.key}`);
    await expect(card.getByRole("heading", { level: 2 })).toHaveText(policy.title);
    await expect(card.getByTestId("policy-version")).toHaveText(policy.version);
    await expect(card.getByTestId("policy-effective")).toHaveText(longDate(policy.effectiveDate));
    await expect(card.getByTestId("policy-last-review")).toHaveText(longDate(policy.effectiveDate));
    await expect(card.getByTestId("policy-next-review")).toHaveText(longDate(policy.reviewDate));
    await expect(card.getByRole("link", { name: new RegExp(`^Read the ${escapeRegExp(policy.title)}`) })).toHaveAttribute("href", `/policies/${policy.key}`);
  }
});

test("UAP-6.1 each policy's own page shows its title, summary, version and review date", async ({ page }) => {
  for (const policy of policies) {
    await page.goto(`/policies/${policy.key}`);
    await expect(page.locator("h1")).toContainText(policy.title);
    await expect(page.locator("h1")).toContainText(`version ${policy.version}`);
    if (policy.summary) await expect(page.getByRole("main")).toContainText(policy.summary);
    await expect(page.getByTestId("policy-version")).toHaveText(policy.version);
    await expect(page.getByTestId("policy-next-review")).toHaveText(longDate(policy.reviewDate));
  }
  const response = await page.goto("/policies/no-such-policy");
  expect(response?.status()).toBe(404);
});

test("the accessibility statement names the standard (WCAG 2.2 AA) and how to report a problem", async ({ page }) => {
  await page.goto("/accessibility");
  const main = page.getByRole("main");
  await expect(main).toContainText("WCAG");
  await expect(main).toContainText("2.2");
  await expect(main).toContainText("level AA");
  await expect(main.getByRole("link", { name: operator.mailbox })).toHaveAttribute("href", `mailto:${operator.mailbox}`);
});

test("pages use a system font: no GDS Transport and no crown is served", async ({ page, request }) => {
  await page.goto("/");
  const fontFamily = await page.evaluate(() => getComputedStyle(document.querySelector("h1")!).fontFamily);
  expect(fontFamily).not.toMatch(/GDS Transport/i);
  expect(fontFamily).toMatch(/system-ui|sans-serif/);
  const css = await (await request.get("/govuk/govuk-frontend.min.css")).text();
  expect(css).not.toMatch(/GDS Transport|govuk-crest|\/assets\/fonts\//);
  for (const path of ["/assets/images/govuk-crest.svg", "/assets/images/favicon.svg", "/assets/fonts/bold-b542beb274-v2.woff2"]) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
});

test("GET /api/health answers {status: ok}, uncached", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  expect(await response.json()).toEqual({ status: "ok" });
});

/** "2027-04-01" → "1 April 2027", as the pages write calendar dates. */
function longDate(isoDate: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${isoDate}T00:00:00Z`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The elements wider than the screen, to say what overflowed when the 320 px check fails. */
async function widestElements(page: Page): Promise<string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`)
      .join(", ");
  });
}
