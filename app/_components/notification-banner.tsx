import type { ReactNode } from "react";
import { cx } from "./cx";

export interface NotificationBannerProps {
  /** "success" after something the user did worked (announced at once); "important" otherwise. */
  type?: "important" | "success";
  title?: string;
  /** The main sentence, shown large. */
  heading?: ReactNode;
  children?: ReactNode;
  /** Needed only when a page shows more than one banner. */
  titleId?: string;
}

/** GOV.UK notification banner. */
export function NotificationBanner({ type = "important", title, heading, children, titleId = "govuk-notification-banner-title" }: NotificationBannerProps) {
  const success = type === "success";
  return (
    <div
      className={cx("govuk-notification-banner", success && "govuk-notification-banner--success")}
      role={success ? "alert" : "region"}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        {heading != null && <p className="govuk-notification-banner__heading">{heading}</p>}
        {children}
      </div>
    </div>
  );
}
