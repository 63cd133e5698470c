import Link from "next/link";
import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { ContactDetails, operatorContact } from "./_components/contact-details";
import { PageTitle } from "./_components/page-title";

export const metadata: Metadata = { title: "Page not found" };

// Any address that matches no page, and any page that calls notFound() — including one the
// viewer's role may not see (AUP-5.2d), which must look no different from one that does not exist.
export default function NotFound() {
  const { operator } = getConfig();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle>Page not found</PageTitle>
        <p className="govuk-body">If you typed the web address, check it is correct.</p>
        <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
        <p className="govuk-body">
          If the web address is correct or you selected a link or button, contact {operator.teamName} if you need to
          see this page:
        </p>
        <ContactDetails contact={operatorContact(operator)} />
        <p className="govuk-body">
          <Link className="govuk-link" href="/">
            Go to the {operator.shortName} start page
          </Link>
        </p>
      </div>
    </div>
  );
}
