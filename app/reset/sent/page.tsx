import type { Metadata } from "next";
import Link from "next/link";
import { getConfig } from "@/lib/config";
import { PageTitle } from "../../_components/page-title";

export const metadata: Metadata = { title: "Check your email" };

// GET /reset/sent — the same answer for every address, so nobody can learn who has an account.
export default function ResetSentPage() {
  const { operator } = getConfig();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle>Check your email</PageTitle>
        <p className="govuk-body">If that address belongs to an active account, we have sent it a link to reset your details. It works once and expires in an hour.</p>
        <p className="govuk-body">
          No email after a few minutes? Check your junk folder, then contact {operator.teamName} at{" "}
          <a className="govuk-link" href={`mailto:${operator.mailbox}`}>
            {operator.mailbox}
          </a>
          .
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/sign-in">
            Back to sign in
          </Link>
        </p>
      </div>
    </div>
  );
}
