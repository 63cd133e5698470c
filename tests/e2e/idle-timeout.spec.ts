import { expect, test } from "@playwright/test";
import { contextFrom, demo, signIn, trustedAddress } from "./support/portal";

// Runs against the second e2e server (tests/e2e/config/short-idle.json: idle timeout 1 minute).
test("AUP-5.2b a session left idle past the timeout ends, and the next request asks to sign in again", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const context = await contextFrom(browser, trustedAddress(), baseURL);
  const page = await context.newPage();
  await signIn(page, demo.lead);
  // Activity inside the window keeps the session: 70 s after signing in it is still alive.
  for (let i = 0; i < 2; i += 1) {
    await page.waitForTimeout(35_000);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  }
  // Then more than a minute with no request at all.
  await page.waitForTimeout(65_000);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in$/);
  await context.close();
});
