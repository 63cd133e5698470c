import { OFFICIAL_RECORD_REMINDER } from "@/lib/queries/rules";
import { formatDateTime } from "../../_lib/format-time";

/** A query's messages in order, each with its author, side and time (AUP-2.1d). */
export function ThreadMessages({ messages, operatorName }: { messages: { id: string; side: string; authorLabel: string; channel: string; body: string; createdAt: Date }[]; operatorName: string }) {
  return (
    <ol className="govuk-list" data-testid="query-messages">
      {messages.map((m) => (
        <li key={m.id} className="govuk-!-margin-bottom-6">
          <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
            {m.authorLabel}
            {m.side === "operator" ? `, ${operatorName}` : ""}
          </h3>
          <p className="govuk-body-s govuk-!-margin-bottom-2">
            {formatDateTime(m.createdAt)}
            {m.channel === "email" ? " (by email)" : ""}
          </p>
          <div className="govuk-inset-text govuk-!-margin-top-0" style={{ whiteSpace: "pre-wrap" }}>
            {m.body}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** AUP-5.2e: shown beside every form that writes a message. */
export function OfficialRecordReminder() {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning</span>
        {OFFICIAL_RECORD_REMINDER}
      </strong>
    </div>
  );
}
