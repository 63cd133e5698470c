import type { Metadata } from "next";
import Link from "next/link";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";

export const metadata: Metadata = { title: "Make a request" };

// GET /portal/requests/new — which request to make; changes to one person start from Our users.
export default async function NewRequestPage() {
  const viewer = await viewPage("/portal/requests/new", { access: { audience: "provider", kind: "users", level: "edit" } });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/portal/users">Our users</BackLink>
        <PageTitle caption={viewer.organisationName}>Make a request</PageTitle>
        <ul className="govuk-list govuk-list--spaced">
          <li>
            <Link className="govuk-link govuk-!-font-weight-bold" href="/portal/requests/new/new_user">
              Ask for an account for a new user
            </Link>
          </li>
          <li>
            <Link className="govuk-link govuk-!-font-weight-bold" href="/portal/requests/bulk">
              Ask for accounts for many new users at once (upload a spreadsheet)
            </Link>
          </li>
          <li>
            <Link className="govuk-link govuk-!-font-weight-bold" href="/portal/requests/new/lead_change">
              Change your organisation&apos;s Lead correspondent
            </Link>
          </li>
        </ul>
        <p className="govuk-body">
          To change someone&apos;s role or end date, suspend or reinstate their account, choose them in{" "}
          <Link className="govuk-link" href="/portal/users">
            Our users
          </Link>
          .
        </p>
      </div>
    </div>
  );
}
