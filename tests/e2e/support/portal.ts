import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "../../../lib/demo/demo-data";

/**
 * Journeys shared by the e2e specs. The e2e servers read the client address from
 * X-Forwarded-For (tests/e2e/config/*.json) and trust 10.0.0.0/8, so a browser context
 * chooses whether it is on a trusted network by the header it sends.
 */
export const demo = {
  password: DEMO_PASSWORD,
  securityNumber: DEMO_SECURITY_NUMBER,
  staffLead: "alex.morgan@council.example.org",
  staffOfficer: "sam.patel@council.example.org",
  lead: "priya.shah@meadowbank-care.example.org",
  finance: "tom.baker@meadowbank-care.example.org",
  coordinator: "amina.okafor@meadowbank-care.example.org",
  scheduler: "kate.ellis@meadowbank-care.example.org",
  suspended: "lee.jones@meadowbank-care.example.org",
  pending: "dan.wright@meadowbank-care.example.org",
};

let addressCounter = 0;
/** A fresh trusted address (10.x) per call, so one test's lockouts never touch another's. */
export function trustedAddress(): string {
  addressCounter += 1;
  return `10.${(process.pid % 200) + 1}.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}
/** A fresh address outside every trusted network (TEST-NET-3). */
export function untrustedAddress(): string {
  addressCounter += 1;
  return `203.0.113.${(addressCounter % 250) + 1}`;
}

export async function contextFrom(browser: Browser, address: string, baseURL?: string): Promise<BrowserContext> {
  return browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": address }, ...(baseURL ? { baseURL } : {}) });
}

/** Step 1: email and password. */
export async function enterPassword(page: Page, email: string, password = demo.password): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The 1-based positions the security-number page asks for, read from its labels ("2nd digit"). */
export async function askedPositions(page: Page): Promise<number[]> {
  await expect(page.getByRole("heading", { name: "Your security number" })).toBeVisible();
  const labels = await page.locator("label[for^='digit-']").allTextContents();
  return labels.map((text) => Number(/^(\d+)/.exec(text.trim())?.[1]));
}

/** Step 2: the asked digits; `wrong` changes one of them. */
export async function enterDigits(page: Page, securityNumber = demo.securityNumber, options: { wrong?: boolean } = {}): Promise<number[]> {
  const positions = await askedPositions(page);
  for (const [i, position] of positions.entries()) {
    let digit = securityNumber[position - 1]!;
    if (options.wrong && i === 0) digit = String((Number(digit) + 1) % 10);
    await page.locator(`#digit-${i}`).fill(digit);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  return positions;
}

/** A whole two-step sign-in from a trusted address: ends on the signed-in home page. */
export async function signIn(page: Page, email: string, options: { password?: string; securityNumber?: string } = {}): Promise<void> {
  await enterPassword(page, email, options.password);
  await enterDigits(page, options.securityNumber);
  await expect(page).toHaveURL(/\/(portal|staff)(\?|$)/);
}

/**
 * Reads the newest email to `to` whose subject contains `subject`, as operator staff do when no
 * mail service is configured (Back office → Outbox). Signs a staff member in, in a context of its own.
 */
export async function readEmail(browser: Browser, to: string, subject: string | RegExp, baseURL?: string): Promise<string> {
  const context = await contextFrom(browser, trustedAddress(), baseURL);
  const page = await context.newPage();
  try {
    await signIn(page, demo.staffLead);
    await page.goto("/staff/outbox");
    const row = page.locator("[data-testid=outbox] tbody tr").filter({ hasText: to }).filter({ hasText: subject }).first();
    await row.getByRole("link").click();
    return (await page.getByTestId("email-body").textContent()) ?? "";
  } finally {
    await context.close();
  }
}

/** The first URL in an email body. */
export function linkIn(body: string): string {
  const match = /https?:\/\/\S+/.exec(body);
  if (!match) throw new Error(`no link in email:\n${body}`);
  return match[0];
}

/** The path (and query) of a URL, to follow it on the test server whatever host the email named. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export const GENERIC_FAILURE = "The details you entered are not right, or your account cannot sign in at the moment.";
