"use client";

import { createContext, useContext, type ReactNode } from "react";

/** How people reach the operator's team: what an error page can offer without the server. */
export interface OperatorContact {
  teamName: string;
  mailbox: string;
  telephone: string;
}

const OperatorContactContext = createContext<OperatorContact | null>(null);

/**
 * Set once by the root layout from the configuration, so client components that cannot read
 * it themselves (the error boundary) can still name the team and its mailbox.
 */
export function OperatorContactProvider({ value, children }: { value: OperatorContact; children: ReactNode }) {
  return <OperatorContactContext.Provider value={value}>{children}</OperatorContactContext.Provider>;
}

/** The operator's contact details, or null outside the root layout. */
export function useOperatorContact(): OperatorContact | null {
  return useContext(OperatorContactContext);
}
