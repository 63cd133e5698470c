import "server-only";
import { isSameOriginPost } from "@/lib/web/same-origin";
import { portal } from "../../_lib/portal";

/**
 * The sign-in forms post here rather than to server actions: a route handler answers the POST
 * with a 303 and renders nothing (the page is rendered once, by the GET that follows), which
 * makes a sign-in a few cheap requests around the password hash. Forms work without
 * JavaScript either way; the pages still render the errors, read from the redirect's query.
 */
export async function handleSignInPost(request: Request, handle: (form: FormData) => Promise<Response>): Promise<Response> {
  const { baseUrl } = await portal();
  // Server actions refuse cross-site posts themselves; a route handler must (CSRF).
  if (!isSameOriginPost(request.headers, baseUrl)) return new Response("This form must be sent from the portal's own page.", { status: 403 });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return seeOther("/sign-in");
  }
  return handle(form);
}

/** "See other": the browser follows with a GET, so reloading the next page never re-posts the form. */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
