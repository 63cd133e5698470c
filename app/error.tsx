"use client";

import { useEffect } from "react";
import { ContactDetails } from "./_components/contact-details";
import { useOperatorContact } from "./_components/operator-contact";
import { PageTitle } from "./_components/page-title";

/**
 * The error boundary for every page inside the root layout: GOV.UK's "Sorry, there is a
 * problem with the service" page. It never shows what went wrong — in production Next sends the
 * browser only a digest, which the server's log records beside the real error.
 */
export default function ErrorPage({ error }: { error: unknown; retry: () => void }) {
  const contact = useOperatorContact();
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;

  useEffect(() => {
    // Keeps the browser's console useful to someone helping a user; the message stays out of the page.
    console.error(error);
  }, [error]);

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <title>Sorry, there is a problem with the service</title>
        <PageTitle>Sorry, there is a problem with the service</PageTitle>
        <p className="govuk-body">Try again later.</p>
        <p className="govuk-body">If you were sending a form, it may not have been saved. You may need to fill it in again.</p>
        {contact && (
          <>
            <p className="govuk-body">If the problem continues, contact {contact.teamName}:</p>
            <ContactDetails contact={contact} />
          </>
        )}
        {digest && (
          <p className="govuk-body-s" data-testid="error-reference">
            If you contact us, give this reference: <span className="portal-break-anywhere">{digest}</span>
          </p>
        )}
      </div>
    </div>
  );
}
