import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { PDFDocument } from "pdf-lib";
import { pdfText } from "../support/pdf-text";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

/** A small real PDF standing in for the operator's contract document. */
async function contractPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText(`Contract for home care, made ${new Date().toISOString()}`);
  return Buffer.from(await pdf.save());
}

test.describe("contracts signed online", () => {
  test("AUP-5.1d a finance user cannot see contracts: no menu entry, and the pages answer page not found", async ({ browser }) => {
    const page = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(page, demo.finance);
    const menu = page.getByRole("navigation", { name: "Menu" });
    await expect(menu.getByRole("link", { name: "Payments" })).toBeVisible();
    await expect(menu.getByRole("link", { name: "Contracts" })).toHaveCount(0);
    await expect(page.getByTestId("granted-functions").getByRole("link", { name: "Contracts" })).toHaveCount(0);
    await expectNoAxeViolations(page);
    const response = await page.goto("/portal/contracts");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("AUP-2.1c AUP-4.1 staff publish a contract, the Lead correspondent signs it with step-up digits and downloads the signature page naming the signer and the document hash", async ({ browser }) => {
    const document = await contractPdf();
    const sha256 = createHash("sha256").update(document).digest("hex");

    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffOfficer);
    await staff.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Contracts" }).click();
    await expect(staff).toHaveTitle(/^Contracts /);
    await expect(staff.getByRole("heading", { name: "Contracts", level: 1 })).toBeVisible();
    await expectNoAxeViolations(staff);
    await staff.getByRole("button", { name: "Publish a contract" }).click();
    await expect(staff).toHaveTitle(/^Publish a contract /);
    await expectNoAxeViolations(staff);
    const title = `Home care contract ${Date.now()}`;
    await staff.getByLabel("Care package reference").fill("PKG-5001");
    await staff.getByLabel("Contract title").fill(title);
    await staff.getByLabel("Contract (PDF, up to 5 MB)").setInputFiles({ name: "home-care.pdf", mimeType: "application/pdf", buffer: document });
    await staff.getByRole("button", { name: "Publish contract" }).click();
    await expect(staff.locator(".govuk-notification-banner")).toContainText("Contract published");
    await expect(staff.locator("code")).toHaveText(sha256);
    await expectNoAxeViolations(staff);

    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Contracts" }).click();
    await expect(lead).toHaveTitle(/^Contracts /);
    await expectNoAxeViolations(lead);
    await lead.getByRole("row", { name: new RegExp(title) }).getByRole("link").click();
    await expect(lead).toHaveTitle(/^Contract /);
    await expect(lead.getByRole("heading", { name: title })).toBeVisible();
    await expectNoAxeViolations(lead);
    // Review: the document as published, byte for byte.
    const download = await lead.request.get(`${new URL(lead.url()).pathname}/document`);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    expect(createHash("sha256").update(await download.body()).digest("hex")).toBe(sha256);

    await lead.getByRole("button", { name: "Sign this contract" }).click();
    await expect(lead).toHaveTitle(/^Sign a contract /);
    await expectNoAxeViolations(lead);
    // A name that is not the signer's own is refused.
    await lead.getByLabel("Your full name").fill("Tom Baker");
    await lead.getByLabel(/I have read this contract/).check();
    const labels = await lead.locator("label[for^='digit-']").allTextContents();
    const positions = labels.map((text) => Number(/^(\d+)/.exec(text.trim())?.[1]));
    expect(positions).toHaveLength(3);
    for (const [i, position] of positions.entries()) await lead.locator(`#digit-${i}`).fill(demo.securityNumber[position - 1]!);
    await lead.getByRole("button", { name: "Sign contract" }).click();
    await expect(lead.getByTestId("error-summary")).toContainText("Type your full name as it appears on your account");
    await expectNoAxeViolations(lead);

    await lead.getByLabel("Your full name").fill("Priya Shah");
    await lead.getByLabel(/I have read this contract/).check();
    for (const [i, position] of positions.entries()) await lead.locator(`#digit-${i}`).fill(demo.securityNumber[position - 1]!);
    await lead.getByRole("button", { name: "Sign contract" }).click();
    await expect(lead.locator(".govuk-notification-banner")).toContainText("Contract signed");
    await expectNoAxeViolations(lead);

    const [file] = await Promise.all([lead.waitForEvent("download"), lead.getByRole("link", { name: "Download the signature page (PDF)" }).click()]);
    const text = pdfText(await readFile((await file.path())!));
    expect(text).toContain("Signer: Priya Shah");
    expect(text).toContain(sha256);

    // Staff see it signed in the back office.
    await staff.goto("/staff/contracts?status=signed");
    await expect(staff.getByRole("row", { name: new RegExp(title) })).toContainText("Signed");
    await expectNoAxeViolations(staff);
  });
});
