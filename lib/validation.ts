import type { z } from "zod";
import { AppError } from "./errors";

/** Parses input with a schema, or throws a validation AppError naming each field's first problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, summary = "There is a problem with what you entered"): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("validation", summary, summary, fieldErrorsOf(result.error));
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}
