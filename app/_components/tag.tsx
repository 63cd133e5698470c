import type { ReactNode } from "react";
import { cx } from "./cx";

export type TagColour = "grey" | "green" | "turquoise" | "blue" | "light-blue" | "purple" | "pink" | "red" | "orange" | "yellow";

/** A GOV.UK tag for a status. Without a colour it is the default (blue) tag. */
export function Tag({ children, colour, className }: { children: ReactNode; colour?: TagColour; className?: string }) {
  return <strong className={cx("govuk-tag", colour && `govuk-tag--${colour}`, className)}>{children}</strong>;
}
