import { isSameOriginPost } from "./same-origin";

/**
 * Requests refused at the gate (proxy.ts), before Next decodes them, because Next's own
 * refusal of them is a 500 with nothing a person can read (found by the HTTP fuzz run,
 * tests/integration/fuzz/http-fuzz.ts, issue 11):
 *
 * - a path with a malformed percent-encoding (overlong UTF-8 such as %C0%AF): Next fails to
 *   decode the page's parameters;
 * - a form post or server-action call from another site: Next's own Origin check throws
 *   "Invalid Server Actions request" (so it is a 500, though nothing runs);
 * - a body larger than the server-action limit (Next throws "Body exceeded … limit");
 * - a server-action call whose body React could not have sent (broken multipart, JSON that is
 *   not an argument list, nested deeper than any form): decoding throws.
 *
 * Route handlers under /api/ check their own callers (the cron endpoint takes a bearer secret,
 * which a browser never sends by itself) and are left to them.
 */

/** The largest form a server action takes: a bulk-upload file (5 MB, lib/imports) plus the form around it. next.config.ts sets the same. */
export const ACTION_BODY_LIMIT_BYTES = 6 * 1024 * 1024;
/** Deeper than any argument list a form makes (a form is a reference; state objects are shallow). */
const MAX_ARGUMENT_DEPTH = 16;

export interface Refusal {
  status: 400 | 403 | 413;
  /** Said to the person, in words. */
  message: string;
  /** For the log. */
  reason: string;
}

const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when a segment of the path does not decode (overlong or truncated UTF-8, a stray %). */
export function malformedPath(pathname: string): boolean {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

export const MALFORMED_PATH: Refusal = { status: 400, message: "This address is not valid. Check it, or go to the portal's home page.", reason: "malformed path" };
const CROSS_SITE: Refusal = { status: 403, message: "This form must be sent from the portal's own page. Go back, reload the page and try again.", reason: "cross-site post" };
const TOO_LARGE: Refusal = {
  status: 413,
  message: `What you sent is too large (the limit is ${ACTION_BODY_LIMIT_BYTES / 1024 / 1024} MB). If you are uploading a file, split it into smaller files.`,
  reason: "body over the limit",
};
const UNREADABLE: Refusal = { status: 400, message: "The form could not be read. Go back, reload the page and try again.", reason: "body not a form the portal sends" };

/**
 * The checks that need only the headers: path, method, origin, size. Null when the request
 * may go on (to the body check, for a post to a page).
 */
export function refuseByHeaders(input: { method: string; pathname: string; headers: Headers; portalUrl: string }): Refusal | null {
  if (malformedPath(input.pathname)) return MALFORMED_PATH;
  if (READ_ONLY.has(input.method.toUpperCase()) || isApiPath(input.pathname)) return null;
  if (!isSameOriginPost(input.headers, input.portalUrl)) return CROSS_SITE;
  const length = Number(input.headers.get("content-length") ?? "0");
  if (Number.isFinite(length) && length > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  return null;
}

const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");

/** Whether the body of a post needs checking: a post to a page is a server action (with or without JavaScript). */
export function needsBodyCheck(method: string, pathname: string): boolean {
  return !READ_ONLY.has(method.toUpperCase()) && !isApiPath(pathname);
}

/**
 * Checks the body of a post to a page, read from a copy of the request. A server-action call
 * (Next-Action header) is an argument list — JSON text, or field "0" of a multipart form — no
 * deeper than a form's state; a post without JavaScript is a form. Anything else was not sent by the
 * portal's pages.
 */
export async function refuseByBody(request: Request): Promise<Refusal | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const isAction = request.headers.has("next-action");
  try {
    if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
      const form = await request.formData();
      if (!isAction) return null;
      const args = form.get("0");
      return typeof args === "string" && argumentsLookRight(args) ? null : UNREADABLE;
    }
    if (isAction && type.startsWith("text/plain")) {
      const text = await request.text();
      return argumentsLookRight(text) ? null : UNREADABLE;
    }
    // An empty post (a button with no fields) is a form too.
    if (!isAction && (request.headers.get("content-length") ?? "0") === "0") return null;
    return UNREADABLE;
  } catch {
    return UNREADABLE;
  }
}

function argumentsLookRight(text: string): boolean {
  if (nesting(text) > MAX_ARGUMENT_DEPTH) return false;
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return false;
  }
  // Next's client leaves out the arguments an action does not use (an action that ignores its
  // form, such as signing out, is called with "[]"), so the list's length proves nothing; an
  // action called without its form is answered "not found" by formOf (app/_lib/form-state.ts).
  return Array.isArray(args) && referencesLookRight(args);
}

/**
 * React marks references in the argument list with "$" and a tag. A form of this portal sends
 * plain values, the form itself ("$K…") and the spelled-out values JSON cannot hold
 * ("$undefined", "$NaN", a date, a big integer); "$$" escapes a literal "$". Anything else
 * (a promise, a map, a blob, a server or temporary reference) points into parts no page sends,
 * and decoding it throws.
 */
function referencesLookRight(value: unknown): boolean {
  if (typeof value === "string") return !value.startsWith("$") || /^\$(\$|K[0-9a-f]+$|undefined$|NaN$|-?Infinity$|-0$|D|n-?\d+$)/.test(value);
  if (Array.isArray(value)) return value.every(referencesLookRight);
  if (value && typeof value === "object") return Object.values(value).every(referencesLookRight);
  return true;
}

/** How deep brackets nest in JSON text, counted without parsing (parsing deep text is the attack). */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return max;
}

/** A refusal as a small page in words (the proxy adds the security headers). */
export function refusalPage(refusal: Refusal): { body: string; status: number; headers: Record<string, string> } {
  const title = refusal.status === 413 ? "Too large" : refusal.status === 403 ? "Not sent from the portal" : "Something was wrong with the request";
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>${refusal.message}</p><p><a href="/">Go to the portal's home page</a></p></main></body></html>`;
  return { body, status: refusal.status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } };
}
