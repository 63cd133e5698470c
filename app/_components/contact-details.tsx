import type { OperatorContact } from "./operator-contact";

/**
 * The operator's team, mailbox and (when configured) telephone, as a short GOV.UK list.
 * Plain markup, so server pages and the client error boundary share it.
 */
export function ContactDetails({ contact, className = "govuk-list" }: { contact: OperatorContact; className?: string }) {
  return (
    <ul className={className} data-testid="operator-contact">
      <li>
        Email:{" "}
        <a className="govuk-link portal-break-anywhere" href={`mailto:${contact.mailbox}`}>
          {contact.mailbox}
        </a>
      </li>
      {contact.telephone && <li>Telephone: {contact.telephone}</li>}
    </ul>
  );
}

/** The contact details held in the configuration's operator section. */
export function operatorContact(operator: { teamName: string; mailbox: string; telephone: string }): OperatorContact {
  return { teamName: operator.teamName, mailbox: operator.mailbox, telephone: operator.telephone };
}
