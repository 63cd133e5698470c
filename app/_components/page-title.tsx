import type { ReactNode } from "react";

export interface PageTitleProps {
  children: ReactNode;
  /** A caption above the heading: the section or the thing the page is about. */
  caption?: ReactNode;
  size?: "xl" | "l" | "m";
}

/** The page's one h1, with an optional GOV.UK caption inside it (read as part of the heading). */
export function PageTitle({ children, caption, size = "l" }: PageTitleProps) {
  return (
    <h1 className={`govuk-heading-${size}`}>
      {caption != null && <span className={`govuk-caption-${size}`}>{caption}</span>}
      {children}
    </h1>
  );
}
