import type { ReactNode } from "react";
import { cx } from "./cx";

export interface SummaryAction {
  href: string;
  text: string;
  /** Completes the link for screen readers: "Change" + " email address". */
  visuallyHiddenText?: string;
}

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  actions?: SummaryAction[];
}

export interface SummaryListProps {
  rows: SummaryRow[];
  noBorder?: boolean;
  className?: string;
}

/** GOV.UK summary list: facts about one thing, each with optional "Change" style links. */
export function SummaryList({ rows, noBorder, className }: SummaryListProps) {
  const anyActions = rows.some((row) => row.actions?.length);
  return (
    <dl className={cx("govuk-summary-list", noBorder && "govuk-summary-list--no-border", className)}>
      {rows.map((row, index) => {
        const actions = row.actions ?? [];
        return (
          <div
            key={index}
            className={cx("govuk-summary-list__row", anyActions && actions.length === 0 && "govuk-summary-list__row--no-actions")}
          >
            <dt className="govuk-summary-list__key">{row.key}</dt>
            <dd className="govuk-summary-list__value">{row.value}</dd>
            {actions.length > 0 && (
              <dd className="govuk-summary-list__actions">
                {actions.length === 1 ? (
                  <ActionLink action={actions[0]!} />
                ) : (
                  <ul className="govuk-summary-list__actions-list">
                    {actions.map((action) => (
                      <li key={action.href} className="govuk-summary-list__actions-list-item">
                        <ActionLink action={action} />
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

function ActionLink({ action }: { action: SummaryAction }) {
  return (
    <a className="govuk-link" href={action.href}>
      {action.text}
      {action.visuallyHiddenText && <span className="govuk-visually-hidden"> {action.visuallyHiddenText}</span>}
    </a>
  );
}

/** A summary list in a GOV.UK summary card, titled, for one of several things on a page. */
export function SummaryCard({ title, headingLevel = 2, children }: { title: ReactNode; headingLevel?: 2 | 3 | 4; children: ReactNode }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div className="govuk-summary-card">
      <div className="govuk-summary-card__title-wrapper">
        <Heading className="govuk-summary-card__title">{title}</Heading>
      </div>
      <div className="govuk-summary-card__content">{children}</div>
    </div>
  );
}
