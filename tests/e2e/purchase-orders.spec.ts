import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

test.describe("purchase orders", () => {
  test("AUP-2.1b AUP-4.1 a care coordinator finds a purchase order, opens it and exports its line items as CSV", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, demo.coordinator);

    // The menu offers what the Care coordinator's role reaches: purchase orders, not payments.
    const nav = page.getByRole("navigation", { name: "Menu" });
    await expect(nav.getByRole("link", { name: "Purchase orders" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Payments" })).toHaveCount(0);
    await nav.getByRole("link", { name: "Purchase orders" }).click();
    await expect(page.locator("h1")).toContainText("Purchase orders");
    await expect(page.getByTestId("lookup-reminder")).toContainText("Do not look up your own information");
    const rows = page.getByTestId("purchase-orders").locator("tbody tr");
    await expect(rows).toHaveCount(6); // six active packages, one live order each
    await expect(page.getByTestId("purchase-orders")).not.toContainText("Reginald Oakes"); // ended 200 days ago
    await expectNoAxeViolations(page);

    // Search by the person's name.
    await page.getByLabel("Search by purchase order number, person or service").fill("Marlow");
    await page.getByRole("button", { name: "Show purchase orders" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Edith Marlow");
    await expectNoAxeViolations(page);

    await rows.first().getByRole("link").click();
    await expect(page.locator("h1")).toContainText(/Purchase order PO\d+/);
    const number = (await page.locator("h1").textContent())!.match(/PO\d+/)![0];
    await expect(page.locator(".govuk-summary-list")).toContainText("Edith Marlow");
    const lines = page.getByTestId("purchase-order-lines").locator("tbody tr");
    await expect(lines).toHaveCount(4);
    await expectNoAxeViolations(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-lines").click()]);
    expect(download.suggestedFilename()).toBe(`purchase-order-${number}-lines.csv`);
    const records = parse(await readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    for (const record of records) {
      expect(record).toMatchObject({ "Purchase order": number, Service: "Home care — personal care", Units: "14.00", Unit: "hour", "Rate (GBP)": "24.50", "Cost (GBP)": "343.00" });
      expect(record["Period from"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }

    // Another organisation's order is "page not found", the same as none at all.
    const response = await page.goto("/portal/purchase-orders/00000000-0000-4000-8000-000000000000");
    expect(response?.status()).toBe(404);
    await context.close();
  });
});
