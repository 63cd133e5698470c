import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { contextFrom, demo, enterDigits, enterPassword, GENERIC_FAILURE, linkIn, pathOf, readEmail, signIn, trustedAddress, untrustedAddress } from "./support/portal";

test.describe("sign-in and sessions", () => {
  test("CC-6 AUP-5.1a a new account is set up from its emailed link, then signs in with two steps", async ({ browser }) => {
    // The username email (Lead correspondent copied) and the set-up link come separately.
    const usernameEmail = await readEmail(browser, demo.pending, "account");
    expect(usernameEmail).toContain(`Your username is: ${demo.pending}`);
    expect(usernameEmail).not.toMatch(/\/set-up\//);
    const setupEmail = await readEmail(browser, demo.pending, "Set up your");
    const setupPath = pathOf(linkIn(setupEmail));
    expect(setupPath).toMatch(/^\/set-up\/[\w-]{20,}$/);

    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await page.goto(setupPath);
    await expect(page.getByRole("heading", { name: "Set up your account" })).toBeVisible();
    await expectNoAxeViolations(page);

    // A short, common password and a trivial security number are refused with clear errors.
    await page.getByLabel("Password", { exact: true }).fill("password1");
    await page.getByLabel("Type the password again").fill("password1");
    await page.getByLabel("Security number", { exact: true }).fill("123456");
    await page.getByLabel("Type the security number again").fill("123456");
    await page.getByRole("button", { name: "Set up my account" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toBeVisible();
    await expect(summary).toContainText("Password");
    await expect(summary).toContainText("too easy to guess");
    await expect(summary).toContainText("Acceptable Use Policy");
    await expectNoAxeViolations(page);

    const password = "quiet-orchard-lamplight-7";
    const securityNumber = "730518";
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Type the password again").fill(password);
    await page.getByLabel("Security number", { exact: true }).fill(securityNumber);
    await page.getByLabel("Type the security number again").fill(securityNumber);
    await page.getByLabel(/I have read and accept/).check();
    await page.getByRole("button", { name: "Set up my account" }).click();
    await expect(page).toHaveURL(/\/portal/);
    await expect(page.getByRole("heading", { name: /Welcome, Dan Wright/ })).toBeVisible();

    // The link works once.
    await page.goto(setupPath);
    await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();

    // Sign out, then the first ordinary two-step sign-in with the chosen secrets.
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "You have signed out" })).toBeVisible();
    await enterPassword(page, demo.pending, password);
    await expectNoAxeViolations(page);
    await enterDigits(page, securityNumber);
    await expect(page).toHaveURL(/\/portal/);
    await context.close();
  });

  test("PRIV-8 the sign-in page says that signing in confirms acceptance of the terms of use, naming the current policy", async ({ page }) => {
    await page.goto("/sign-in");
    const statement = page.getByTestId("terms-statement");
    await expect(statement).toContainText("By signing in you confirm that you accept and will abide by the terms of use");
    await expect(statement).toContainText(/version \S+/);
    await statement.getByRole("link").click();
    await expect(page).toHaveURL(/\/policies$/);
  });

  test("AUP-4.2 the sign-in forms name an empty field, and refuse a post from another site (CSRF)", async ({ browser, baseURL }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Enter your email address");
    await expect(summary).toContainText("Enter your password");
    await expect(page.locator("#email-error")).toContainText("Enter your email address");
    await expectNoAxeViolations(page);

    // A digit box left empty is named, and the same attempt goes on.
    await enterPassword(page, demo.finance);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter one digit, 0 to 9");
    await enterDigits(page);
    await expect(page).toHaveURL(/\/portal/);

    // The forms post to route handlers: a post from another origin is refused before anything runs.
    const form = { email: demo.finance, password: demo.password };
    const foreign = await context.request.post("/sign-in/password", { form, headers: { origin: "https://evil.example.com" }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
    const own = await context.request.post("/sign-in/password", { form, headers: { origin: new URL(baseURL!).origin }, maxRedirects: 0 });
    expect(own.status()).toBe(303);
    expect(own.headers()["location"]).toBe("/sign-in/security-number");
    await context.close();
  });

  test("AUP-4.2 positions are chosen per attempt and a wrong digit fails with the one generic message", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i += 1) {
      await enterPassword(page, demo.finance);
      const positions = await enterDigits(page, demo.securityNumber, { wrong: true });
      expect(new Set(positions).size).toBe(3);
      positions.forEach((p) => expect(p).toBeGreaterThanOrEqual(1));
      positions.forEach((p) => expect(p).toBeLessThanOrEqual(6));
      seen.add(positions.join(","));
      await expect(page.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);
    }
    expect(seen.size).toBeGreaterThan(1);
    await expectNoAxeViolations(page);

    // An unknown email gets the same steps and the same message: no account enumeration.
    await enterPassword(page, "nobody.here@meadowbank-care.example.org");
    await enterDigits(page);
    await expect(page.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);
    await context.close();
  });

  test("AUP-4.2 five failures lock the account; staff see the lock and lift it", async ({ browser }) => {
    const address = trustedAddress();
    const context = await contextFrom(browser, address);
    const page = await context.newPage();
    for (let i = 0; i < 5; i += 1) {
      await enterPassword(page, demo.coordinator, "not-the-right-password");
      await enterDigits(page);
      await expect(page.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);
    }
    // Locked: even the right details are refused, with the same message.
    await enterPassword(page, demo.coordinator);
    await enterDigits(page);
    await expect(page.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);

    const staff = await contextFrom(browser, trustedAddress());
    const staffPage = await staff.newPage();
    await signIn(staffPage, demo.staffLead);
    await staffPage.goto("/staff/sign-in-locks");
    const locks = staffPage.getByTestId("locks");
    await expect(locks).toContainText(demo.coordinator);
    await expect(locks).toContainText(`Address ${address}`);
    await expectNoAxeViolations(staffPage);
    for (const who of [demo.coordinator, `Address ${address}`]) {
      await staffPage.getByTestId("locks").locator("tr").filter({ hasText: who }).getByRole("button", { name: /Unlock/ }).click();
      await expect(staffPage.locator(".govuk-notification-banner--success")).toContainText("Lock lifted");
    }
    await expect(staffPage.locator("body")).not.toContainText(demo.coordinator);
    await expect(staffPage.locator("body")).not.toContainText(`Address ${address}`);
    await staff.close();

    await signIn(page, demo.coordinator);
    await context.close();
  });

  test("UCP-NET-1 a code is emailed off trusted networks, and none on them", async ({ browser }) => {
    const outside = await contextFrom(browser, untrustedAddress());
    const page = await outside.newPage();
    await enterPassword(page, demo.scheduler);
    await enterDigits(page);
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expectNoAxeViolations(page);

    // A wrong code fails with the generic message; the attempt is over.
    await page.getByLabel(/code/i).fill("000000");
    await page.getByRole("button", { name: /Sign in|Continue/ }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);

    await enterPassword(page, demo.scheduler);
    await enterDigits(page);
    const email = await readEmail(browser, demo.scheduler, "code");
    const code = /\b(\d{6})\b/.exec(email)?.[1];
    expect(code).toBeDefined();
    await page.getByLabel(/code/i).fill(code!);
    await page.getByRole("button", { name: /Sign in|Continue/ }).click();
    await expect(page).toHaveURL(/\/portal/);
    await outside.close();

    // From a trusted address the same person goes straight in after the digits.
    const inside = await contextFrom(browser, trustedAddress());
    const insidePage = await inside.newPage();
    await enterPassword(insidePage, demo.scheduler);
    await enterDigits(insidePage);
    await expect(insidePage).toHaveURL(/\/portal/);
    await inside.close();
  });

  test("PRIV-7 AUP-5.2b only session cookies, HttpOnly and SameSite=Lax, and sign-out ends the session on the server", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, demo.lead);
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name).sort()).toEqual(["portal.auth"]);
    for (const cookie of cookies) {
      expect(cookie.expires).toBe(-1); // a session cookie: no Expires or Max-Age
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Lax");
    }
    await expectNoAxeViolations(page);

    // Keep the cookie, sign out, then replay it: the server has ended the session.
    const saved = cookies;
    await page.goto("/account");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "You have signed out" })).toBeVisible();
    await context.addCookies(saved);
    await page.goto("/portal");
    await expect(page).toHaveURL(/\/sign-in$/);
    await context.close();
  });

  test("UAP-3.3 a compromise report rotates both secrets and ends every session at once", async ({ browser }) => {
    const first = await contextFrom(browser, trustedAddress());
    const firstPage = await first.newPage();
    await signIn(firstPage, demo.staffOfficer);
    const second = await contextFrom(browser, trustedAddress());
    const secondPage = await second.newPage();
    await signIn(secondPage, demo.staffOfficer);

    await secondPage.goto("/account/compromised");
    await expectNoAxeViolations(secondPage);
    const password = "amber-canal-whistle-42";
    const securityNumber = "905716";
    await secondPage.getByLabel("Password", { exact: true }).fill(password);
    await secondPage.getByLabel("Type the password again").fill(password);
    await secondPage.getByLabel("Security number", { exact: true }).fill(securityNumber);
    await secondPage.getByLabel("Type the security number again").fill(securityNumber);
    await secondPage.getByLabel(/What happened/).fill("I typed my password into a page that looked wrong.");
    await secondPage.getByRole("button", { name: /Change my details/ }).click();
    await expect(secondPage.getByRole("heading", { name: "Your details have been changed" })).toBeVisible();

    // The other session ended on its next request.
    await firstPage.goto("/staff");
    await expect(firstPage).toHaveURL(/\/sign-in$/);

    // Staff received the security report.
    const report = await readEmail(browser, "brokerage@council.example.org", "Security report");
    expect(report).toContain(demo.staffOfficer);
    expect(report).toContain("I typed my password into a page that looked wrong.");

    // The old secrets no longer work; the new ones do.
    await enterPassword(firstPage, demo.staffOfficer);
    await enterDigits(firstPage);
    await expect(firstPage.locator(".govuk-error-summary")).toContainText(GENERIC_FAILURE);
    await signIn(firstPage, demo.staffOfficer, { password, securityNumber });
    await first.close();
    await second.close();
  });

  test("AUP-4.2 a forgotten password is reset by a single-use emailed link", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await page.goto("/reset");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Send me a reset link" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Select what you have forgotten");
    await page.getByLabel("My password").check();
    await page.getByLabel("Email address").fill(demo.finance);
    await page.getByRole("button", { name: "Send me a reset link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

    const email = await readEmail(browser, demo.finance, "Reset your");
    const resetPath = pathOf(linkIn(email));
    await page.goto(resetPath);
    await expectNoAxeViolations(page);
    const password = "harbour-violet-engine-9";
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByLabel("Type the new password again").fill(password);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/sign-in\?reset=1/);
    await signIn(page, demo.finance, { password });
    await page.goto(resetPath);
    await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
    await context.close();
  });

  test("AUP-5.2d protected pages turn the signed-out away, and every response carries the security headers", async ({ page }) => {
    for (const path of ["/portal", "/staff", "/account", "/staff/outbox"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in$/);
    }
    const response = await page.request.get("/sign-in");
    const headers = response.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    // Every script the page carries has the response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"]!)?.[1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  test("AUP-5.2d a provider user cannot open back-office pages", async ({ browser }) => {
    const context = await contextFrom(browser, trustedAddress());
    const page = await context.newPage();
    await signIn(page, demo.lead);
    for (const path of ["/staff", "/staff/outbox", "/staff/sign-in-locks"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
    }
    await context.close();
  });
});
