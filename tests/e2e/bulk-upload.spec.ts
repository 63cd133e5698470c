import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

/*
 * UCP-BULK-1: the demo Lead correspondent downloads the template, uploads a file with good and
 * bad rows, reads the per-row report, confirms, and sees the new requests. Every page is
 * checked with axe.
 */

const run = Date.now().toString(36);
const nextYear = new Date().getUTCFullYear() + 1;

test.describe("bulk user requests", () => {
  test("UCP-BULK-1 UAP-2.2 the Lead correspondent uploads a spreadsheet, reads the report on every row, and sends the valid rows as requests", async ({ browser }) => {
    const page = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(page, demo.lead);
    await page.goto("/portal/requests/new");
    await page.getByRole("link", { name: /Ask for accounts for many new users at once/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: /Ask for accounts for many new users/ })).toBeVisible();
    await expectNoAxeViolations(page);

    // The template: a CSV with the header row only.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("bulk-template").click()]);
    expect(download.suggestedFilename()).toBe("bulk-user-requests-template.csv");
    const template = (await readFile((await download.path())!)).toString("utf8");
    const header = template.replace(/^\uFEFF/, "").split(/\r?\n/)[0]!;
    expect(header.split(",")).toEqual(["Full name", "Email address", "Job title", "Security role", "Registration body", "Registration number", "End date", "Purpose", "IG training date", "Temporary", "Email confirmed"]);

    // Filled in as a spreadsheet would save it: byte-order mark, Windows line endings, a quoted comma.
    const rows = [
      `Bulk Alpha ${run},bulk.alpha.${run}@nhs.net,Care Coordinator,,,,,"Home care visits, for the people we support",,,`,
      `Bulk Beta ${run},bulk.beta.${run}@nhs.net,Finance Officer,Finance,,,31/12/${nextYear},Payments for the people we support,,yes,`,
      `Bulk Office ${run},office@meadowbank-care.example.org,Administrator,,,,,Office work for the people we support,,,`,
      `Bulk Date ${run},bulk.date.${run}@nhs.net,Scheduler,,,,31/02/${nextYear},Planning visits for the people we support,,yes,`,
    ];
    const csv = Buffer.from(`\uFEFF${[header, ...rows].join("\r\n")}\r\n`, "utf8");
    await page.getByLabel("Upload your file").setInputFiles({ name: "new-staff.csv", mimeType: "text/csv", buffer: csv });
    await page.getByRole("button", { name: "Check the file" }).click();

    const report = page.getByTestId("bulk-report");
    await expect(report).toBeVisible({ timeout: 30_000 });
    await expect(report).toContainText("new-staff.csv has 4 people: 2 can be requested, 2 have problems");
    const rowOf = (name: string) => report.locator("tbody tr").filter({ hasText: name });
    await expect(rowOf(`Bulk Alpha ${run}`)).toContainText("Ready");
    await expect(rowOf(`Bulk Alpha ${run}`)).toContainText("Care coordinator"); // suggested by the job title (UCP-RBAC-2)
    await expect(rowOf(`Bulk Beta ${run}`)).toContainText("Ready");
    await expect(rowOf(`Bulk Office ${run}`)).toContainText("Problem");
    await expect(rowOf(`Bulk Office ${run}`)).toContainText("generic mailbox");
    await expect(rowOf(`Bulk Date ${run}`)).toContainText("is not a real date");
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Send 2 requests" }).click();
    await expect(page).toHaveURL(/\/portal\/requests\/bulk\/submitted\?batch=/, { timeout: 30_000 });
    const panel = page.getByTestId("bulk-sent");
    await expect(panel).toContainText("2 requests sent");
    const sent = page.getByTestId("bulk-requests");
    await expect(sent).toContainText(`New user – Bulk Alpha ${run}`);
    await expect(sent).toContainText(`New user – Bulk Beta ${run}`);
    await expect(sent).not.toContainText("Bulk Office");
    const references = (await sent.locator("tbody th a").allTextContents()).map((t) => t.trim());
    expect(references).toHaveLength(2);
    for (const reference of references) expect(reference).toMatch(/^REQ-\d{6}$/);
    await expectNoAxeViolations(page);

    // The requests are the organisation's, like any other.
    await page.goto("/portal/requests");
    for (const reference of references) await expect(page.getByTestId("our-requests")).toContainText(reference);
    await page.goBack();
    await page.getByTestId("bulk-requests").getByRole("link", { name: references[0]! }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Bulk Alpha ${run}`);
  });

  test("UCP-BULK-1 a file the portal cannot read is refused with an error summary linked to the upload, and nothing is sent", async ({ browser }) => {
    const page = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(page, demo.lead);
    await page.goto("/portal/requests/bulk");
    await page.getByRole("button", { name: "Check the file" }).click();
    await expect(page.getByTestId("error-summary")).toContainText("Select a CSV or Excel file");

    await page.getByLabel("Upload your file").setInputFiles({ name: "notes.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\r\n1,2\r\n") });
    await page.getByRole("button", { name: "Check the file" }).click();
    const summary = page.getByTestId("error-summary");
    await expect(summary).toContainText("must have a header row naming its columns");
    await expect(summary.getByRole("link")).toHaveAttribute("href", "#file");
    await expectNoAxeViolations(page);

    // A provider user who is not the Lead correspondent cannot reach the page (AUP-5.2d).
    const finance = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(finance, demo.finance);
    await finance.goto("/portal/requests/bulk");
    await expect(finance.locator("h1")).toContainText("Page not found");
  });
});
