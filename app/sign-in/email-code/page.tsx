import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { attemptChallenge } from "@/lib/auth/sign-in/attempt-challenge";
import { emailCodeStepMessages } from "@/lib/auth/sign-in/submit-email-code";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { readAttemptCookie } from "../../_lib/sign-in-cookie";
import { fieldErrorsFrom } from "../_lib/form-errors";
import { CodeForm } from "./code-form";

export const metadata: Metadata = { title: "Check your email" };

// GET /sign-in/email-code — step 3, only outside trusted networks (UCP-NET-1), posted to POST /sign-in/code.
export default async function EmailCodePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const attemptId = await readAttemptCookie();
  const { database, clock, config } = await portal();
  const challenge = attemptId ? await attemptChallenge(database.db, clock, attemptId) : null;
  if (!challenge) redirect("/sign-in?expired=1");
  if (challenge.stage !== "email_code") redirect(challenge.stage === "digits" ? "/sign-in/security-number" : "/sign-in");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption="Sign in">Check your email</PageTitle>
        <p className="govuk-body">
          You are signing in from outside a trusted network, so we have emailed a sign-in code to your account&apos;s email address.
        </p>
        <CodeForm minutes={config.signIn.emailCodeMinutes} fieldErrors={fieldErrorsFrom((await searchParams).error, emailCodeStepMessages)} />
        <p className="govuk-body">
          Not received it? <Link href="/sign-in" className="govuk-link">Start signing in again</Link> to be sent a new code.
        </p>
      </div>
    </div>
  );
}
