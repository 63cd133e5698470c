/**
 * Driving the portal over HTTP as a browser without JavaScript would: reading the hidden
 * inputs React renders into a server-action form, posting forms with their Origin, reading
 * cookies, and the whole two-step sign-in (password, then three digits of the security number).
 */
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "../../lib/demo/demo-data";

/** The hidden inputs React renders into a form whose action is a server action (no-JS posting). */
export function hiddenInputs(html: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const match of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? "";
    if (name) fields.push([decode(name), decode(value)]);
  }
  return fields;
}

export function decode(text: string): string {
  return text.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The `name=value` pair of a cookie the response sets (null when it sets none, or clears it). */
export function cookieFrom(response: Response, name: string): string | null {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    if (pair?.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return null;
}

/** Posts a form as a browser does (multipart, with its Origin, not following the redirect). */
export async function postForm(base: string, pathname: string, fields: [string, string][], cookie?: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  // A browser posting a form sends its Origin; Next checks it against the host for server actions.
  return fetch(`${base}${pathname}`, { method: "POST", body: form, redirect: "manual", headers: { origin: base, ...(cookie ? { cookie } : {}) } });
}

/** The action of the page's first `<form method="post">` (the sign-in forms post to route handlers). */
export function formAction(html: string): string {
  const form = /<form\b[^>]*method="post"[^>]*>/i.exec(html)?.[0];
  const action = form && /action="([^"]*)"/.exec(form)?.[1];
  if (!action) throw new Error("the page has no form posting to a path");
  return decode(action);
}

/** Posts a plain HTML form as a browser does (urlencoded, with its Origin, not following the redirect). */
export async function postUrlEncoded(base: string, pathname: string, fields: [string, string][], cookie?: string): Promise<Response> {
  return fetch(`${base}${pathname}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
    headers: { origin: base, "sec-fetch-site": "same-origin", ...(cookie ? { cookie } : {}) },
  });
}

/** The requests of a sign-in, for callers that time each one. */
export type SignInStep = "signInPage" | "password" | "digitsPage" | "digits" | "landing";

export interface SignInOptions {
  password?: string;
  securityNumber?: string;
  /** Wraps each request (default: runs it), e.g. to time it. */
  timed?: <T>(step: SignInStep, work: () => Promise<T>) => Promise<T>;
  /**
   * Where the password form posts, read earlier from the sign-in page: then the page is not
   * fetched again (it is the same for everyone, and a browser may have it open already).
   */
  passwordAction?: string;
  /** Also follow the signed-in redirect once (GET /home, which sends each person to their start page). */
  landing?: boolean;
}

/**
 * One whole sign-in on a trusted network (no emailed code): GET the sign-in page, POST the
 * password form, GET the security-number page, read which positions it asks for, POST the
 * digits. Returns the session cookie (`portal.auth=…`) to send with later requests; throws
 * unless the answer is a signed-in redirect carrying it.
 */
export async function signIn(base: string, email: string, options: SignInOptions = {}): Promise<string> {
  const password = options.password ?? DEMO_PASSWORD;
  const securityNumber = options.securityNumber ?? DEMO_SECURITY_NUMBER;
  const timed = options.timed ?? (<T>(_step: SignInStep, work: () => Promise<T>) => work());
  const passwordAction = options.passwordAction ?? formAction(await timed("signInPage", async () => (await fetch(`${base}/sign-in`)).text()));
  const step1 = await timed("password", () => postUrlEncoded(base, passwordAction, [["email", email], ["password", password]]));
  const attempt = cookieFrom(step1, "portal.session");
  if (step1.status !== 303 || !attempt) throw new Error(`step 1 answered ${step1.status} without an attempt cookie`);
  const digitsPath = step1.headers.get("location") ?? "";
  const digitsPage = await timed("digitsPage", async () => (await fetch(new URL(digitsPath, base), { headers: { cookie: attempt } })).text());
  const positions = [...digitsPage.matchAll(/<label[^>]*for="digit-\d+"[^>]*>(\d+)/g)].map((m) => Number(m[1]));
  if (positions.length !== 3) throw new Error("the security-number page did not ask for three digits");
  const step2 = await timed("digits", () =>
    postUrlEncoded(base, formAction(digitsPage), positions.map((p): [string, string] => ["digit", securityNumber[p - 1]!]), attempt),
  );
  const session = cookieFrom(step2, "portal.auth");
  if (step2.status !== 303 || !session) throw new Error(`step 2 answered ${step2.status} without a session cookie`);
  if (options.landing) {
    const home = await timed("landing", () => fetch(new URL(step2.headers.get("location") ?? "/home", base), { headers: { cookie: session }, redirect: "manual" }));
    await home.arrayBuffer();
    if (!/^\/(portal|staff)$/.test(new URL(home.headers.get("location") ?? "", base).pathname)) throw new Error(`the signed-in landing answered ${home.status} to ${home.headers.get("location")}`);
  }
  return session;
}
