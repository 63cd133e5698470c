import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

/** What a form's server action returns for the page to show: a GOV.UK error summary and inline errors. */
export interface FormState {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  /** Values to put back in the form (never secrets). */
  values?: Record<string, string>;
}

export const emptyFormState: FormState = { ok: true, fieldErrors: {} };

/** Maps an AppError to form state; anything else is a real fault and is rethrown to the error page. */
export function formStateFromError(error: unknown, values?: Record<string, string>): FormState {
  if (isAppError(error)) {
    return { ok: false, message: Object.keys(error.fieldErrors).length ? undefined : error.userMessage, fieldErrors: error.fieldErrors, values };
  }
  throw error;
}

/**
 * The posted form, or "not found" when an action was called without one — only a crafted
 * request does that, and it must not become a 500 (issue 11 fuzz run).
 */
export function formOf(formData: unknown): FormData {
  if (!(formData instanceof FormData)) notFound();
  return formData;
}

export function formText(formData: FormData, name: string): string {
  const value = formOf(formData).get(name);
  return typeof value === "string" ? value : "";
}
