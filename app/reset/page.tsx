import type { Metadata } from "next";
import { PageTitle } from "../_components/page-title";
import { BackLink } from "../_components/back-link";
import { askForReset } from "./actions";
import { ResetRequestForm } from "./reset-request-form";

export const metadata: Metadata = { title: "Reset your password or security number" };

// GET /reset — forgotten password or security number: ask for an emailed single-use link.
export default function ResetPage() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/sign-in">Sign in</BackLink>
        <PageTitle>Reset your password or security number</PageTitle>
        <p className="govuk-body">We will email a link to your account&apos;s address. The link works once and expires in an hour.</p>
        <ResetRequestForm action={askForReset} />
      </div>
    </div>
  );
}
