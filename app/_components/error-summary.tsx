"use client";

import { useEffect, useRef } from "react";

export interface ErrorSummaryProps {
  /** A sentence about the whole form (e.g. from a server action's `message`). */
  message?: string;
  /** Field id → what is wrong with it, in the order the fields appear on the page. */
  fieldErrors: Record<string, string>;
  /** Where a field's link should point when its focusable element has another id (a date's day input). */
  fieldIds?: Record<string, string>;
  title?: string;
}

/**
 * GOV.UK error summary, at the top of the main content. Each error links to its field.
 * It takes focus when it appears so screen reader users hear it: the one client-side
 * behaviour of GOV.UK's script we keep. Renders nothing when there is nothing to say.
 */
export function ErrorSummary({ message, fieldErrors, fieldIds = {}, title = "There is a problem" }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(fieldErrors);
  const shown = Boolean(message) || entries.length > 0;

  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, message, fieldErrors]);

  if (!shown) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} ref={ref} data-testid="error-summary">
      {/* role="alert" sits on a child, as in GOV.UK's markup, so focusing does not race the announcement. */}
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title}</h2>
        <div className="govuk-error-summary__body">
          {message && <p>{message}</p>}
          {entries.length > 0 && (
            <ul className="govuk-list govuk-error-summary__list">
              {entries.map(([field, text]) => (
                <li key={field}>
                  <a href={`#${fieldIds[field] ?? field}`}>{text}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
