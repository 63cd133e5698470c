import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, enterDigits, enterPassword, linkIn, pathOf, readEmail, signIn, trustedAddress } from "./support/portal";

/** Staff take a request through UCP-HD-1 to resolved: prioritise, assign, start, approve. */
async function actionRequest(page: Page, reference: string): Promise<void> {
  await page.goto("/staff/requests?status=open&sort=received");
  await page.locator(`tr[data-reference="${reference}"]`).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Set priority" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Priority set");
  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("assigned to you");
  await page.getByRole("button", { name: "Start work" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Work started");
  await page.getByRole("button", { name: "Approve and apply" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("approved and applied");
}

/** Created by the first test (tests in a file run in order) and suspended as a leaver by the second. */
const newUser = { name: "Jo Bloggs", email: "jo.bloggs@meadowbank-care.example.org", password: "lantern-meadow-copper-51", securityNumber: "602719" };

test.describe("requests and the back office", () => {
  test("CC-3 CC-4 CC-6 UAP-2.1 a Lead correspondent's new-user request is actioned by staff, and the new user sets up and signs in", async ({ browser }) => {
    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.goto("/portal/users");
    await lead.getByRole("button", { name: "Ask for a new user" }).click();
    await expect(lead.getByRole("heading", { name: "Ask for an account for a new user" })).toBeVisible();
    await expectNoAxeViolations(lead);

    await lead.getByLabel("Full name").fill(newUser.name);
    await lead.getByLabel("Work email address").fill(newUser.email);
    // The domain is not an accepted one: the policy asks the Lead to vouch for it (UCP-EMAIL-1).
    await expect(lead.getByTestId("email-check")).toContainText("not one of the accepted email domains");
    await lead.getByLabel(/I confirm this address is used only by this person/).check();
    await lead.getByLabel("Job title").fill("Finance Officer");
    await lead.getByRole("button", { name: "Use Finance" }).click();
    await expect(lead.getByLabel("Finance", { exact: true })).toBeChecked();
    await lead.getByLabel("Why does this person need access?").fill("Checks purchase orders and payments for the people we support.");
    await lead.getByRole("button", { name: "Send request" }).click();
    await expect(lead.getByTestId("request-sent")).toBeVisible();
    const reference = (await lead.getByTestId("request-sent").locator("strong").textContent())!.trim();
    expect(reference).toMatch(/^REQ-\d+$/);
    // CC-4: the request's title names its type and the person's full name.
    await expect(lead.getByRole("heading", { level: 1 })).toContainText(newUser.name);
    await expectNoAxeViolations(lead);

    const acknowledgement = await readEmail(browser, demo.lead, reference);
    expect(acknowledgement).toContain(reference);

    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffLead);
    await expect(staff.getByTestId("dashboard")).toBeVisible();
    await expectNoAxeViolations(staff);
    await actionRequest(staff, reference);

    // CC-6: two separate emails, the username one copying the Lead correspondent.
    const username = await readEmail(browser, newUser.email, "account");
    expect(username).toContain(`Your username is: ${newUser.email}`);
    const setup = await readEmail(browser, newUser.email, "Set up your");
    const user = await (await contextFrom(browser, trustedAddress())).newPage();
    await user.goto(pathOf(linkIn(setup)));
    await user.getByLabel("Password", { exact: true }).fill(newUser.password);
    await user.getByLabel("Type the password again").fill(newUser.password);
    await user.getByLabel("Security number", { exact: true }).fill(newUser.securityNumber);
    await user.getByLabel("Type the security number again").fill(newUser.securityNumber);
    await user.getByLabel(/I have read and accept/).check();
    await user.getByRole("button", { name: "Set up my account" }).click();
    await expect(user).toHaveURL(/\/portal/);

    await lead.goto("/portal/users");
    await expect(lead.locator(`tr[data-email="${newUser.email}"]`)).toContainText("Active");
    await lead.goto("/portal/requests");
    await expect(lead.getByTestId("our-requests")).toContainText(reference);
    await expect(lead.getByTestId("our-requests")).toContainText("Resolved");
  });

  test("CC-7g AUP-5.2b a leaver's suspension is prioritised, and ends their session at once", async ({ browser }) => {
    const leaver = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(leaver, newUser.email, { password: newUser.password, securityNumber: newUser.securityNumber });

    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.goto("/portal/users");
    await lead.locator(`tr[data-email="${newUser.email}"]`).getByRole("link", { name: /Suspend/ }).click();
    await expect(lead.getByLabel("Leaving the organisation")).toBeVisible();
    await expectNoAxeViolations(lead);
    await lead.getByLabel("Leaving the organisation").check();
    await lead.getByRole("button", { name: "Send request" }).click();
    const reference = (await lead.getByTestId("request-sent").locator("strong").textContent())!.trim();

    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffLead);
    await staff.goto("/staff/requests?sort=priority");
    const row = staff.locator(`tr[data-reference="${reference}"]`);
    await expect(row).toContainText(/Urgent|High/);
    await actionRequest(staff, reference);

    // The leaver's next request finds the session ended.
    await leaver.goto("/account");
    await expect(leaver).toHaveURL(/\/sign-in$/);
    await enterPassword(leaver, newUser.email, newUser.password);
    await enterDigits(leaver, newUser.securityNumber);
    await expect(leaver.locator(".govuk-error-summary")).toBeVisible();

    await lead.goto("/portal/users");
    await expect(lead.locator(`tr[data-email="${newUser.email}"]`)).toContainText("Suspended");
  });

  test("UAP-2.2 CC-2b a generic mailbox and a research purpose are refused with their reasons, and nothing is sent", async ({ browser }) => {
    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.goto("/portal/requests/new/new_user");
    await lead.getByLabel("Full name").fill("Office Team");
    await lead.getByLabel("Work email address").fill("info@meadowbank-care.example.org");
    await expect(lead.getByTestId("email-check")).toContainText("shared or generic mailbox");
    await lead.getByLabel("Job title").fill("Care Coordinator");
    await lead.getByLabel("Why does this person need access?").fill("Research into outcomes for a university study");
    await lead.getByRole("button", { name: "Send request" }).click();
    const summary = lead.locator(".govuk-error-summary");
    await expect(summary).toContainText("shared or generic mailbox");
    await expect(summary).toContainText(/research/i);
    await expectNoAxeViolations(lead);
    await lead.goto("/portal/requests");
    await expect(lead.locator("body")).not.toContainText("Office Team");
  });

  test("AUP-5.2d PRIV-1 a provider user reaching for another organisation's account gets page-not-found, and the attempt is audited", async ({ browser }) => {
    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffLead);
    await staff.goto("/staff/requests");
    const staffId = await staff.locator("#assignee option", { hasText: "Sam Patel" }).getAttribute("value");
    expect(staffId).toMatch(/^[0-9a-f-]{36}$/);

    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    const response = await lead.goto(`/portal/requests/new/suspension?account=${staffId}`);
    expect(response?.status()).toBe(404);

    await staff.goto("/staff/audit?action=access.refused");
    await expect(staff.locator("main")).toContainText("Priya Shah");
    await expect(staff.locator("main")).toContainText(staffId!);
  });
});
