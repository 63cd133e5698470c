import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

/**
 * The quarterly review of users (UAP-4.2, UAP-4.3a), end to end on the demo data. The e2e
 * server's database is fresh, so staff first open this quarter's reviews by hand (the job
 * would do it on the first day of the quarter); then the demo Lead correspondent keeps every
 * account, signs off, and staff see the review signed off in their report and export it.
 */
test.describe("quarterly reviews", () => {
  test("UAP-4.2 UAP-4.3a UAP-A.9 staff open the quarter's reviews, the Lead correspondent keeps every account and signs off, and staff see it signed off", async ({ browser }) => {
    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffOfficer);
    await staff.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Reviews", exact: true }).click();
    await expect(staff.getByRole("heading", { name: "Quarterly review report" })).toBeVisible();
    await expectNoAxeViolations(staff);

    await staff.getByRole("button", { name: "Open this quarter's reviews" }).click();
    await expect(staff).toHaveURL(/\/staff\/reviews\?opened=\d+/);
    await expect(staff.locator(".govuk-notification-banner").first()).toContainText(/opened for|already has its review/);
    const meadowbank = staff.locator('tr[data-organisation="Meadowbank Care Ltd"]');
    await expect(meadowbank).not.toContainText("No review yet");
    await expect(meadowbank).toContainText(/Open|Due soon/);
    await expectNoAxeViolations(staff);

    // The Lead correspondent finds the review under Reviews, the current one first.
    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Reviews", exact: true }).click();
    await expect(lead.getByRole("heading", { name: "Reviews of our users" })).toBeVisible();
    await expectNoAxeViolations(lead);
    await lead.getByTestId("our-reviews").locator("tbody tr").first().getByRole("link").click();
    await expect(lead.getByRole("heading", { level: 1 })).toContainText("Review of users");
    await expect(lead.getByTestId("sign-off-waiting")).toBeVisible();
    await expectNoAxeViolations(lead);
    await lead.setViewportSize({ width: 320, height: 800 });
    expect(await lead.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(320);
    await lead.setViewportSize({ width: 1280, height: 800 });

    const items = lead.getByTestId("review-item");
    const count = await items.count();
    expect(count).toBeGreaterThanOrEqual(6);
    const tom = items.filter({ has: lead.getByRole("heading", { name: "Tom Baker" }) });

    // Saving with nothing chosen, and a suspension without its reason, are refused with a GOV.UK error summary.
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await expect(lead.getByTestId("error-summary")).toContainText("Choose keep, change role or suspend for at least one account");
    await tom.getByLabel("Suspend", { exact: true }).check();
    await expect(tom.getByLabel("Why should Tom Baker's account be suspended?")).toBeVisible();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    const summary = lead.getByTestId("error-summary");
    await expect(summary).toContainText("Tom Baker: Select why the account should be suspended");
    await expectNoAxeViolations(lead);
    await expect(summary.getByRole("link", { name: /Tom Baker/ })).toHaveAttribute("href", /^#reason-/);

    // Keep every account (a suspended account and the Lead's own can only be kept).
    for (let i = 0; i < count; i++) {
      await items.nth(i).getByLabel("Keep", { exact: true }).check();
    }
    await expect(tom.getByLabel("Why should Tom Baker's account be suspended?")).toBeHidden();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await expect(lead.locator(".govuk-notification-banner--success")).toContainText("Your decisions have been saved");
    await expect(lead.locator(".govuk-notification-banner--success")).toContainText("Every account has a decision");
    await expectNoAxeViolations(lead);

    await lead.getByRole("button", { name: "Sign off the review" }).click();
    await expect(lead.getByTestId("review-signed-off")).toContainText("Review signed off");
    await expect(lead.getByTestId("review-decisions").locator("tbody tr")).toHaveCount(count);
    await expectNoAxeViolations(lead);
    await lead.goto("/portal/reviews");
    await expect(lead.getByTestId("our-reviews").locator("tbody tr").first()).toContainText("Signed off");

    // Staff see it signed off in the quarterly report, and on the review's own page.
    await staff.goto("/staff/reviews");
    await expect(meadowbank).toContainText("Signed off");
    await expect(meadowbank).toContainText(`${count} of ${count} decided`);
    await expectNoAxeViolations(staff);
    await meadowbank.getByRole("link", { name: /review of Meadowbank Care Ltd/ }).click();
    await expect(staff.getByTestId("staff-review-items")).toContainText("Keep");
    await expectNoAxeViolations(staff);

    // UAP-A.9 AUP-5.2f: the report exports as CSV.
    await staff.goto("/staff/reviews");
    const [download] = await Promise.all([staff.waitForEvent("download"), staff.getByRole("link", { name: /Export CSV/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^quarterly-review-report-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
  });

  test("AUP-5.2d UAP-4.2 a user without the users role has no Reviews link and gets page-not-found", async ({ browser }) => {
    const page = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(page, demo.finance);
    await expect(page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Reviews", exact: true })).toHaveCount(0);
    const response = await page.goto("/portal/reviews");
    expect(response?.status()).toBe(404);
  });
});
