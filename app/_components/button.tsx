import Link from "next/link";
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";

type Variant = "primary" | "secondary" | "warning";

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "className"> {
  variant?: Variant;
  className?: string;
}

/** GOV.UK button; a submit button unless told otherwise. */
export function Button({ variant = "primary", className, type = "submit", children, ...rest }: ButtonProps) {
  return (
    <button type={type} className={cx("govuk-button", variant !== "primary" && `govuk-button--${variant}`, className)} data-module="govuk-button" {...rest}>
      {children}
    </button>
  );
}

/** A link that looks like a GOV.UK button, e.g. "Cancel" beside a form's button. */
export function ButtonLink({ href, variant = "primary", children, className }: { href: string; variant?: Variant; children: ReactNode; className?: string }) {
  return (
    <Link href={href} role="button" draggable="false" className={cx("govuk-button", variant !== "primary" && `govuk-button--${variant}`, className)} data-module="govuk-button">
      {children}
    </Link>
  );
}

/** GOV.UK start button: the one call to action on a start page. */
export function StartButton({ href, children = "Start now" }: { href: string; children?: ReactNode }) {
  return (
    <Link href={href} role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
      {children}
      <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
      </svg>
    </Link>
  );
}
