import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

/** The demo's auditor: an operator account whose role reads the audit log and nothing it could change. */
const AUDITOR = "chris.evans@council.example.org";

/** The rows of the audit events table on the page. */
const eventRows = (page: Page) => page.getByTestId("audit-events").locator("tbody tr");

test.describe("audit log", () => {
  test("UAP-A.9 UAP-4.4 AUP-8.1 AUP-5.2f the auditor searches the log, opens an account's activity, exports it as CSV and prints it", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, AUDITOR);

    // The header takes the auditor to the log; with no filters it lists every event, newest first.
    await page.getByRole("link", { name: "Audit log" }).first().click();
    await expect(page).toHaveURL(/\/staff\/audit$/);
    await expect(page.locator("h1")).toContainText("Audit log");
    await expect(page.getByTestId("audit-total")).toContainText(/\d+ events/);
    // The newest event is this very page view, by the auditor.
    await expect(eventRows(page).first()).toContainText("page.viewed");
    await expect(eventRows(page).first()).toContainText("Chris Evans");
    await expectNoAxeViolations(page);

    // A date that does not exist: the GOV.UK error summary links to the field, and the title says "Error".
    await page.locator("#from-day").fill("31");
    await page.locator("#from-month").fill("2");
    await page.locator("#from-year").fill("2025");
    await page.getByRole("button", { name: "Search" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("link", { name: "Date from must be a real date" })).toHaveAttribute("href", "#from-day");
    await expect(page).toHaveTitle(/^Error: Audit log/);
    await expect(page.getByTestId("audit-events")).toHaveCount(0);
    await expectNoAxeViolations(page);

    // Search by person (an email address) and action prefix.
    await page.locator("#from-day").fill("");
    await page.locator("#from-month").fill("");
    await page.locator("#from-year").fill("");
    await page.getByLabel("Person").fill(demo.lead);
    await page.getByLabel("Action").fill("account.");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/person=priya\.shah%40meadowbank-care\.example\.org/);
    await expect(page.getByTestId("audit-total")).toContainText(/\d+ events? found/);
    const created = eventRows(page).filter({ hasText: "account.created" });
    await expect(created).toHaveCount(1);
    await expect(created).toContainText("Meadowbank Care Ltd");
    for (const row of await eventRows(page).all()) await expect(row.locator("code")).toContainText(/^account\./);
    await expectNoAxeViolations(page);
    // At 320 px the table stacks and nothing is wider than the screen.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(320);
    await page.setViewportSize({ width: 1280, height: 800 });

    // AUP-8.1: one account's activity, from the person the event is about.
    await created.getByRole("link", { name: "Priya Shah" }).click();
    await expect(page).toHaveURL(/\/staff\/audit\/accounts\/[0-9a-f-]{36}$/);
    const accountId = /accounts\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    await expect(page.locator("h1")).toContainText("Priya Shah");
    await expect(page.getByRole("main")).toContainText(demo.lead);
    await expect(eventRows(page).filter({ hasText: "account.created" })).toHaveCount(1);
    await expect(eventRows(page).filter({ hasText: "policy.accepted" }).first()).toBeVisible();
    await expectNoAxeViolations(page);

    // Export CSV: a download whose rows are this account's events.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "Sequence,Event ID,Time (UTC),Time (UK),Action,Channel,Actor account ID,Actor,Organisation ID,Organisation,Subject account ID,Subject,Subject email,Request ID,Client address,User agent,Detail,Previous hash,Hash",
    );
    const createdLines = lines.filter((line) => line.includes(",account.created,"));
    expect(createdLines).toHaveLength(1);
    expect(createdLines[0]).toContain(`,${accountId},Priya Shah,${demo.lead},`);
    // Every data row names the account as actor or subject.
    for (const line of lines.slice(1)) expect(line).toContain(accountId);

    // Print: a page laid out for paper, recorded as it opens.
    await page.getByRole("link", { name: "Print", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/staff/audit/print\\?person=${accountId}$`));
    await expect(page.locator("h1")).toContainText("Audit log");
    await expect(page.getByTestId("audit-total")).toContainText("This printout is recorded in the audit log.");
    await expect(eventRows(page).filter({ hasText: "account.created" })).toHaveCount(1);
    await expectNoAxeViolations(page);

    // AUP-5.2f: the export and the print are in the log, with who and what.
    await page.goto("/staff/audit?action=audit.");
    const exported = eventRows(page).filter({ hasText: "audit.exported" });
    await expect(exported).toHaveCount(1);
    await expect(exported).toContainText("Chris Evans");
    await expect(exported).toContainText(`"person":"${accountId}"`);
    await expect(exported).toContainText(`rowCount: ${lines.length - 1}`);
    const printed = eventRows(page).filter({ hasText: "audit.printed" });
    await expect(printed).toHaveCount(1);
    await expect(printed).toContainText("Chris Evans");
    await context.close();
  });

  test("PRIV-2a PRIV-2b pages viewed are logged with the account; searches are logged without it", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, AUDITOR);
    const term = `hilltop-${Date.now()}`;
    await page.goto(`/staff/audit?person=${term}`);
    await expect(page.getByTestId("audit-empty")).toContainText("No events match your search.");
    await expectNoAxeViolations(page);

    // The search: its terms, and nobody's name, address or account.
    await page.goto("/staff/audit?action=search.performed");
    const search = eventRows(page).filter({ hasText: term });
    await expect(search).toHaveCount(1);
    await expect(search).toContainText("Anonymous");
    await expect(search).not.toContainText("Chris Evans");
    await expect(search.getByRole("link")).toHaveCount(0);

    // The page views: the auditor's, with the path and never the query that carried the term.
    await page.goto("/staff/audit?action=page.viewed");
    const views = eventRows(page).filter({ hasText: "path: /staff/audit" });
    await expect(views.first()).toContainText("Chris Evans");
    await expect(page.getByTestId("audit-events")).not.toContainText(term);
    await context.close();
  });

  test("UAP-2.3 AUP-5.2d a provider user gets page-not-found for the audit log, its export and print", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, demo.lead);
    await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
    for (const path of ["/staff/audit", "/staff/audit?action=account.", "/staff/audit/export", "/staff/audit/print", "/staff/audit/accounts/00000000-0000-4000-8000-000000000000"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
    await expect(page.locator("h1")).toContainText("Page not found");
    await context.close();
  });
});
