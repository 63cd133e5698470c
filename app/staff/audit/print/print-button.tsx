"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** "Print this page": shown only where JavaScript runs (the browser's own print command works everywhere). */
export function PrintButton() {
  const ready = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!ready) return null;
  return (
    <button type="button" className="govuk-button govuk-button--secondary govuk-!-display-none-print" data-module="govuk-button" onClick={() => window.print()}>
      Print this page
    </button>
  );
}
