import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The WCAG levels the portal is built to (the accessibility statement says WCAG 2.2 AA). */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe on the page as it stands and fails with a readable list (rule, impact, the first
 * few offending elements) when anything breaks WCAG 2.2 AA.
 */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  // After a client-side navigation Next swaps the <title> a moment after the URL changes (the
  // old one can be gone before the new one is in): check the page once it has settled — a
  // title that has stayed the same, and non-empty, for a little while — not half-way through.
  await page.waitForLoadState("load");
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const title = document.title.trim();
        setTimeout(() => resolve(title.length > 0 && document.title.trim() === title), 150);
      }),
  );
  let builder = new AxeBuilder({ page }).withTags(wcagTags);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const report = violations.map((v) => {
    const targets = v.nodes.slice(0, 5).map((node) => `    ${node.target.join(" ")}: ${node.failureSummary?.split("\n").join(" ") ?? ""}`);
    return `${v.id} (${v.impact ?? "unknown"}): ${v.help}\n${targets.join("\n")}`;
  });
  expect(report, `axe found WCAG 2.2 AA violations on ${page.url()}`).toEqual([]);
}
