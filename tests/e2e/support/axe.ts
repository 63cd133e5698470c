import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The WCAG levels the portal is built to (the accessibility statement says WCAG 2.2 AA). */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe on the page as it stands and fails with a readable list (rule, impact, the first
 * few offending elements) when anything breaks WCAG 2.2 AA.
 */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  // After a client-side navigation Next sets the new page's <title> a moment after the URL
  // changes; check the page once it has settled, not half-way through arriving.
  await page.waitForLoadState("load");
  await page.waitForFunction(() => document.title.trim().length > 0);
  let builder = new AxeBuilder({ page }).withTags(wcagTags);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const report = violations.map((v) => {
    const targets = v.nodes.slice(0, 5).map((node) => `    ${node.target.join(" ")}: ${node.failureSummary?.split("\n").join(" ") ?? ""}`);
    return `${v.id} (${v.impact ?? "unknown"}): ${v.help}\n${targets.join("\n")}`;
  });
  expect(report, `axe found WCAG 2.2 AA violations on ${page.url()}`).toEqual([]);
}
