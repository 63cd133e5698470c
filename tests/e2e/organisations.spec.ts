import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, linkIn, pathOf, readEmail, signIn, trustedAddress } from "./support/portal";

/**
 * Onboarding a provider (UAP-A.1, UCP-ORG-1..3, UAP-A.2), its Lead correspondent's first
 * sign-in and guidance, and a sudden closure of that provider (UAP-5.3, UAP-A.7). Only the
 * organisation created here is changed: the demo providers other specs use are left alone.
 */

const suffix = Math.random().toString(16).slice(2, 6).toUpperCase();
const provider = { odsCode: `E${suffix}`, name: `Willow Court Care ${suffix}` };
const lead = {
  name: "Jordan Ellis",
  email: `jordan.ellis.${suffix.toLowerCase()}@nhs.net`,
  jobTitle: "Registered Manager",
  password: "harbour-violet-quarry-73",
  securityNumber: "583027",
};

/** A day `days` from today as the date input's three boxes. */
function dayParts(days: number): { day: string; month: string; year: string } {
  const at = new Date(Date.now() + days * 86_400_000);
  return { day: String(at.getUTCDate()), month: String(at.getUTCMonth() + 1), year: String(at.getUTCFullYear()) };
}

/** Fills a GOV.UK date input found by its legend. */
async function fillDate(page: Page, legend: string, parts: { day: string; month: string; year: string }): Promise<void> {
  const group = page.getByRole("group", { name: legend, exact: true });
  await group.getByLabel("Day").fill(parts.day);
  await group.getByLabel("Month").fill(parts.month);
  await group.getByLabel("Year").fill(parts.year);
}

const banner = (page: Page) => page.locator(".govuk-notification-banner--success");

test.describe("organisations", () => {
  test("UAP-A.1 UCP-ORG-1 UCP-ORG-2 UCP-ORG-3 UAP-A.2 staff onboard a provider through its checklist, activate it and invite its Lead, who sets up and sees the guidance", async ({ browser }) => {
    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffLead);
    await staff.getByRole("link", { name: "Organisations" }).first().click();
    await expect(staff.getByRole("heading", { level: 1, name: /Organisations/ })).toBeVisible();
    await expect(staff.getByTestId("organisations")).toContainText("Meadowbank Care Ltd");
    await expectNoAxeViolations(staff);

    await staff.getByRole("button", { name: "Add an organisation" }).click();
    await expect(staff.getByRole("heading", { level: 1, name: /Add an organisation/ })).toBeVisible();
    await expectNoAxeViolations(staff);
    // Nothing entered: the error summary names each field.
    await staff.getByRole("button", { name: "Add organisation" }).click();
    await expect(staff.locator(".govuk-error-summary")).toContainText("Enter the organisation's ODS code");
    await expectNoAxeViolations(staff);

    await staff.getByLabel("ODS code").fill(provider.odsCode.toLowerCase());
    await staff.getByLabel("Organisation name").fill(provider.name);
    await staff.getByLabel("Care home", { exact: true }).check();
    await staff.getByLabel("Address").fill("4 Willow Lane\nExampletown\nEX5 5EE");
    await staff.getByRole("button", { name: "Add organisation" }).click();
    await expect(staff).toHaveURL(/\/staff\/organisations\/[0-9a-f-]{36}\?done=created$/);
    await expect(banner(staff)).toContainText("Organisation added");
    await expect(staff.getByRole("heading", { level: 1 })).toContainText(provider.name);
    await expect(staff.locator("main")).toContainText(provider.odsCode);
    // UCP-ORG-1: not active, and no way to activate, until the checklist passes.
    await expect(staff.getByTestId("activation-blocked")).toBeVisible();
    await expect(staff.getByRole("button", { name: /^Activate/ })).toHaveCount(0);
    await expectNoAxeViolations(staff);
    const organisationUrl = staff.url().replace(/\?.*$/, "");

    // The checklist: not in the DPIA, so the ICS lead's approval is recorded (UCP-ORG-2).
    const form = staff.getByTestId("eligibility-form");
    await form.getByLabel(/has been checked against the NHS Organisation Data Service/).check();
    await form.getByRole("group", { name: "Is the organisation listed in the DPIA?" }).getByLabel("No", { exact: true }).check();
    await form.getByLabel("Who approved (name and role)", { exact: true }).fill("Dr Ann Lee, ICS digital lead");
    await fillDate(staff, "Date of the approval", dayParts(-3));
    await form.getByLabel("Evidence of the approval", { exact: true }).fill("Email of approval, filed in the onboarding folder");
    await form.getByLabel("Standards Met", { exact: true }).check();
    await fillDate(staff, "Date of the DSPT status", dayParts(-30));
    await form.getByRole("group", { name: /Is the organisation inside/ }).getByLabel("Yes", { exact: true }).check();
    await form.getByRole("button", { name: "Save checklist" }).click();
    await expect(banner(staff)).toContainText("Eligibility checklist saved");
    await expect(staff.getByTestId("eligibility")).toContainText("The checklist passes");
    await expect(staff.getByTestId("eligibility")).toContainText("approved by the ICS lead, Dr Ann Lee");

    await staff.getByRole("button", { name: `Activate ${provider.name}` }).click();
    await expect(banner(staff)).toContainText("Organisation activated");
    await expect(staff.locator(".govuk-summary-list").first()).toContainText("Active");
    await expectNoAxeViolations(staff);

    // UAP-A.2: the Lead correspondent's account is the organisation's first.
    const invite = staff.getByTestId("invite-lead-form");
    await invite.getByLabel("Full name").fill(lead.name);
    await invite.getByLabel("Work email address").fill(lead.email);
    await invite.getByLabel("Job title").fill(lead.jobTitle);
    await invite.getByRole("button", { name: "Invite Lead correspondent" }).click();
    await expect(banner(staff)).toContainText("Lead correspondent invited");
    await expect(staff.getByTestId("accounts").locator(`tr[data-email="${lead.email}"]`)).toContainText("Waiting for set-up");
    await expect(staff.getByTestId("accounts").locator(`tr[data-email="${lead.email}"]`)).toContainText("Lead correspondent");
    await expect(staff.getByTestId("invite-lead-form")).toHaveCount(0);
    await expectNoAxeViolations(staff);
    await staff.setViewportSize({ width: 320, height: 800 });
    await staff.goto(organisationUrl);
    expect(await staff.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(320);

    // CC-6: the username, and apart from it the set-up link.
    const username = await readEmail(browser, lead.email, "account");
    expect(username).toContain(`Your username is: ${lead.email}`);
    const setup = await readEmail(browser, lead.email, "Set up your");
    const leadPage = await (await contextFrom(browser, trustedAddress())).newPage();
    await leadPage.goto(pathOf(linkIn(setup)));
    await leadPage.getByLabel("Password", { exact: true }).fill(lead.password);
    await leadPage.getByLabel("Type the password again").fill(lead.password);
    await leadPage.getByLabel("Security number", { exact: true }).fill(lead.securityNumber);
    await leadPage.getByLabel("Type the security number again").fill(lead.securityNumber);
    await leadPage.getByLabel(/I have read and accept/).check();
    await leadPage.getByRole("button", { name: "Set up my account" }).click();
    await expect(leadPage).toHaveURL(/\/portal(\?.*)?$/);

    // UAP-A.1: on first sign-in the Lead is pointed to the guidance, until they have read it.
    await expect(leadPage.getByTestId("guidance-banner")).toBeVisible();
    await expectNoAxeViolations(leadPage);
    await leadPage.getByRole("link", { name: "read the guidance on using the portal" }).click();
    await expect(leadPage).toHaveURL(/\/portal\/guidance$/);
    await expect(leadPage.getByRole("heading", { level: 1 })).toContainText("Using the");
    await expect(leadPage.locator("main")).toContainText("duties");
    await expectNoAxeViolations(leadPage);
    await leadPage.goto("/portal");
    await expect(leadPage.getByRole("heading", { level: 1 })).toContainText(lead.name);
    await expect(leadPage.getByTestId("guidance-banner")).toHaveCount(0);
    await expect(leadPage.getByRole("link", { name: "Guidance on using the portal" })).toBeVisible();
  });

  test("UAP-5.3 UAP-A.7 a sudden closure of the provider suspends its accounts and ends its Lead's live session; the case closes with the written confirmation", async ({ browser }) => {
    const leadPage = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(leadPage, lead.email, { password: lead.password, securityNumber: lead.securityNumber });

    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffLead);
    await staff.goto(`/staff/organisations?q=${provider.odsCode}`);
    await staff.getByRole("link", { name: provider.name }).click();
    await staff.getByRole("button", { name: "Open a case" }).click();
    await expect(staff.getByRole("heading", { level: 1, name: /Open a case/ })).toBeVisible();
    await expectNoAxeViolations(staff);

    const form = staff.getByTestId("open-case-form");
    await form.getByLabel("Closure", { exact: true }).check();
    await form.getByLabel("Sudden", { exact: true }).check();
    await form.getByLabel("What is happening", { exact: true }).fill("The registered manager phoned: the home closed today and its residents have moved.");
    await form.getByLabel("Who told us (name and role)").fill("Jordan Ellis, registered manager");
    await form.getByLabel("Telephone", { exact: true }).check();
    await form.getByRole("button", { name: "Open case" }).click();
    await expect(staff).toHaveURL(/\/cases\/[0-9a-f-]{36}\?done=case_opened$/);
    await expect(banner(staff)).toContainText("Case opened");
    const summary = staff.locator(".govuk-summary-list").first();
    // The Lead's sessions: this one, and any left from setting up in the test before.
    await expect(summary).toContainText(/1 account suspended and [1-9]\d* sessions? ended/);
    await expect(summary).toContainText(`Emailed to ${lead.email}`);
    await expect(summary).toContainText("Jordan Ellis, registered manager");
    await expectNoAxeViolations(staff);

    // The Lead's next request finds the session ended.
    await leadPage.goto("/account");
    await expect(leadPage).toHaveURL(/\/sign-in$/);

    // UAP-A.7: the case closes only with the written confirmation and the care-packages check.
    await expect(staff.getByTestId("closing-gaps")).toContainText("written confirmation");
    const confirmation = staff.getByTestId("confirmation-form");
    await confirmation.getByLabel("Name of the person who confirmed").fill("Jordan Ellis");
    await confirmation.getByLabel("Registered manager", { exact: true }).check();
    await fillDate(staff, "Date of the written confirmation", dayParts(0));
    await confirmation.getByLabel("The confirmation", { exact: true }).fill("Email from the registered manager, filed on the case");
    await confirmation.getByRole("button", { name: "Record confirmation" }).click();
    await expect(banner(staff)).toContainText("Written confirmation recorded");
    await staff.getByLabel(/can see what they need in the portal/).check();
    await staff.getByRole("button", { name: "Record the check" }).click();
    await expect(banner(staff)).toContainText("Care packages check recorded");
    await staff.getByRole("button", { name: "Close the case" }).click();
    await expect(banner(staff)).toContainText("Case closed");
    // The first row is the case's status.
    await expect(summary.locator(".govuk-summary-list__row").first()).toContainText("Closed");
    await expectNoAxeViolations(staff);

    await staff.getByRole("link", { name: provider.name }).first().click();
    await expect(staff.locator(".govuk-summary-list").first()).toContainText("Closed");
    await expect(staff.getByTestId("accounts").locator(`tr[data-email="${lead.email}"]`)).toContainText("Suspended");
  });
});
