import type { z } from "zod";

/** A form's messages by field and problem, as the use cases export them (e.g. passwordStepMessages). */
export type FieldMessages = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The sign-in forms post to route handlers, which answer with a redirect back to the page
 * (PRG): the errors travel in the query as `field.problem` names only (`?error=email.missing`),
 * never as text or values, so a crafted link can show nothing but the portal's own messages.
 * A field not in the messages (a repeated one such as `digit-1`) is looked up by `lookupAs`.
 */
export function errorQuery(error: z.ZodError, messages: FieldMessages, field: (path: PropertyKey[]) => { name: string; lookupAs?: string } = (p) => ({ name: String(p[0] ?? "form") })): string {
  const names: string[] = [];
  for (const issue of error.issues) {
    const { name, lookupAs = name } = field(issue.path);
    const problems = ownValue(messages, lookupAs);
    if (!problems || names.some((n) => n.startsWith(`${name}.`))) continue;
    const problem = Object.entries(problems).find(([, message]) => message === issue.message)?.[0] ?? Object.keys(problems)[0];
    if (problem) names.push(`${name}.${problem}`);
  }
  return names.join(",");
}

/** Field id → message for the page, from the `error` query; unknown names are ignored. */
export function fieldErrorsFrom(query: string | string[] | undefined, messages: FieldMessages, lookupAs: (name: string) => string = (n) => n): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const entry of (typeof query === "string" ? query : "").split(",").slice(0, 10)) {
    const dot = entry.lastIndexOf(".");
    const name = entry.slice(0, dot);
    const problems = dot > 0 ? ownValue(messages, lookupAs(name)) : undefined;
    const message = problems ? ownValue(problems, entry.slice(dot + 1)) : undefined;
    if (typeof message === "string" && /^[\w-]{1,40}$/.test(name)) errors[name] = message;
  }
  return errors;
}

/** A record's own entry only: a query naming `toString` or `constructor` must find nothing. */
function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
