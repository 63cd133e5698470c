/** Joins class names, skipping empty ones: cx("govuk-input", error && "govuk-input--error"). */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
