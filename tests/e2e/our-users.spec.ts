import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

test("UAP-2.3 PRIV-1 the Lead correspondent sees every account of their organisation, and no other's", async ({ browser }) => {
  const context = await contextFrom(browser, trustedAddress());
  const page = await context.newPage();
  await signIn(page, demo.lead);
  await page.getByRole("link", { name: "Our users" }).first().click();
  await expect(page.getByRole("heading", { name: "Our users" })).toBeVisible();
  const table = page.getByTestId("our-users");
  for (const email of [demo.lead, demo.finance, demo.coordinator, demo.suspended, demo.pending]) {
    await expect(table.locator(`tr[data-email="${email}"]`)).toHaveCount(1);
  }
  await expect(table.locator(`tr[data-email="${demo.suspended}"]`)).toContainText("Suspended");
  await expect(table).not.toContainText("council.example.org");
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(320);
  await context.close();
});

test("AUP-5.2d a user without the users role gets page-not-found for Our users", async ({ browser }) => {
  const context = await contextFrom(browser, trustedAddress());
  const page = await context.newPage();
  await signIn(page, demo.coordinator);
  await expect(page.getByRole("link", { name: "Our users" })).toHaveCount(0);
  const response = await page.goto("/portal/users");
  expect(response?.status()).toBe(404);
  await context.close();
});

test("UAP-2.3 the Lead correspondent finds users by name or email and by status, and a search that finds nobody says so", async ({ browser }) => {
  const context = await contextFrom(browser, trustedAddress());
  const page = await context.newPage();
  await signIn(page, demo.lead);
  await page.goto("/portal/users");
  await page.getByLabel("Name or email address").fill("LEE.JONES@");
  await page.getByRole("button", { name: "Search" }).click();
  const table = page.getByTestId("our-users");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator(`tr[data-email="${demo.suspended}"]`)).toContainText("Suspended");
  await expect(page.getByTestId("our-users-total")).toContainText("1 account found");

  await page.goto("/portal/users");
  await page.getByLabel("Status").selectOption("pending");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(table.locator(`tr[data-email="${demo.pending}"]`)).toHaveCount(1);
  await expect(table.locator(`tr[data-email="${demo.lead}"]`)).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto("/portal/users?q=nobody-by-this-name&status=bogus&page=x");
  await expect(page.getByTestId("our-users-empty")).toHaveText("No accounts match this search.");
  await page.getByRole("link", { name: "Show everyone" }).click();
  await expect(table.locator(`tr[data-email="${demo.lead}"]`)).toHaveCount(1);
  await context.close();
});
