import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "../_components/page-title";

export const metadata: Metadata = { title: "You have signed out" };

// GET /sign-out — confirmation after signing out (or after a session ended).
export default async function SignedOutPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle>{reason === "compromise" ? "Your details have been changed" : "You have signed out"}</PageTitle>
        {reason === "compromise" ? (
          <p className="govuk-body">
            Your new password and security number are saved, every session of yours has ended and we have told the operator&apos;s staff.
            Sign in again with your new details.
          </p>
        ) : (
          <p className="govuk-body">Your session has ended. Close the browser if you are using a shared computer.</p>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/sign-in">
            Sign in again
          </Link>
        </p>
      </div>
    </div>
  );
}
