import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

test.describe("queries and contacts", () => {
  test("AUP-2.1d AUP-5.2e a care coordinator's query about a person is answered by staff from the back office, and the reply shows in the thread", async ({ browser }) => {
    const subject = `Missed visit ${Date.now()}`;
    const provider = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(provider, demo.coordinator);
    await provider.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" }).click();
    await expect(provider).toHaveTitle(/^Queries /);
    await expectNoAxeViolations(provider);
    await provider.getByRole("button", { name: "Send a query" }).click();
    await expect(provider).toHaveTitle(/^Send a query /);
    await expect(provider.getByText("Messages form part of the official record")).toBeVisible();
    await expectNoAxeViolations(provider);
    // Nothing chosen: a GOV.UK error summary, nothing sent.
    await provider.getByRole("button", { name: "Send query" }).click();
    await expect(provider.getByTestId("error-summary")).toContainText("Choose what the query is about");
    await expectNoAxeViolations(provider);
    await provider.getByLabel("A person receiving care").check();
    await provider.getByLabel("If about a person: who").selectOption({ label: "Edith Marlow" });
    await provider.getByLabel("Subject").fill(subject);
    await provider.getByLabel("Your query").fill("Was Monday's 8am visit covered?");
    await provider.getByRole("button", { name: "Send query" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("Message sent");
    await expectNoAxeViolations(provider);

    const staff = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(staff, demo.staffOfficer);
    await staff.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" }).click();
    await expect(staff).toHaveTitle(/^Queries /);
    await expectNoAxeViolations(staff);
    await staff.getByRole("row", { name: new RegExp(subject) }).getByRole("link").click();
    await expect(staff).toHaveTitle(/^Query /);
    await expect(staff.getByTestId("query-messages")).toContainText("Was Monday's 8am visit covered?");
    await expectNoAxeViolations(staff);
    await staff.getByLabel("Your answer").fill("Yes: the reablement team covered it.");
    await staff.getByRole("button", { name: "Send answer" }).click();
    await expect(staff.locator(".govuk-notification-banner")).toContainText("Answer sent");

    await provider.reload();
    await expect(provider.getByTestId("query-messages")).toContainText("Yes: the reablement team covered it.");
    await expect(provider.getByText("Replied")).toBeVisible();
    await expectNoAxeViolations(provider);
  });

  test("AUP-2.1a the Lead correspondent keeps a key contact current, sees who changed it, and contacts the operator", async ({ browser }) => {
    const name = `Grace Hopper ${Date.now() % 100000}`;
    const lead = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(lead, demo.lead);
    await lead.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Contacts" }).click();
    await expect(lead).toHaveTitle(/^Contacts /);
    await expectNoAxeViolations(lead);
    await lead.getByRole("button", { name: "Add a contact" }).click();
    await expect(lead).toHaveTitle(/^Add a contact /);
    await lead.getByRole("button", { name: "Save contact" }).click();
    await expect(lead.getByTestId("error-summary")).toContainText("Enter the contact's full name");
    await expectNoAxeViolations(lead);
    await lead.getByLabel("Out of hours").check();
    await lead.getByLabel("Full name").fill(name);
    await lead.getByLabel("Telephone").fill("01632 960 001");
    await lead.getByRole("button", { name: "Save contact" }).click();
    await expect(lead.locator(".govuk-notification-banner")).toContainText("Contact added");
    await lead.getByRole("link", { name: `Change ${name}` }).click();
    await expect(lead).toHaveTitle(/^Change a contact /);
    await expectNoAxeViolations(lead);
    await lead.getByLabel("Telephone").fill("01632 960 002");
    await lead.getByRole("button", { name: "Save contact" }).click();
    await expect(lead.locator(".govuk-notification-banner")).toContainText("Contact changed");
    const history = lead.getByRole("table", { name: /Who changed what/ });
    await expect(history.getByRole("row").nth(1)).toContainText("Priya Shah");
    await expect(history.getByRole("row").nth(1)).toContainText("01632 960 001 → 01632 960 002");
    await expectNoAxeViolations(lead);

    await lead.getByRole("link", { name: "Send a message to the operator" }).click();
    await expect(lead).toHaveTitle(/^Contact the operator /);
    await expectNoAxeViolations(lead);
    await lead.getByLabel("Subject").fill("Our out of hours number");
    await lead.getByLabel("Your message").fill(`Please note ${name} is our out of hours contact.`);
    await lead.getByRole("button", { name: "Send message" }).click();
    await expect(lead.locator(".govuk-notification-banner")).toContainText("Message sent");
    await expectNoAxeViolations(lead);

    // Finance reads contacts but cannot change them.
    const finance = await (await contextFrom(browser, trustedAddress())).newPage();
    await signIn(finance, demo.finance);
    await finance.goto("/portal/contacts");
    await expect(finance.getByRole("table", { name: "Key contacts" }).getByRole("cell", { name, exact: true })).toBeVisible();
    await expect(finance.getByRole("button", { name: "Add a contact" })).toHaveCount(0);
    expect((await finance.goto("/portal/contacts/new"))?.status()).toBe(404);
  });
});
