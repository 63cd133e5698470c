import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { attemptChallenge } from "@/lib/auth/sign-in/attempt-challenge";
import { digitsStepMessages } from "@/lib/auth/sign-in/submit-security-digits";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { readAttemptCookie } from "../../_lib/sign-in-cookie";
import { fieldErrorsFrom } from "../_lib/form-errors";
import { DigitsForm } from "./digits-form";

export const metadata: Metadata = { title: "Security number" };

// GET /sign-in/security-number — step 2: digits at positions chosen for this attempt (AUP-4.2), posted to POST /sign-in/digits.
export default async function SecurityNumberPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const attemptId = await readAttemptCookie();
  const { database, clock } = await portal();
  const challenge = attemptId ? await attemptChallenge(database.db, clock, attemptId) : null;
  if (!challenge) redirect("/sign-in?expired=1");
  if (challenge.stage !== "digits") redirect(challenge.stage === "email_code" ? "/sign-in/email-code" : "/sign-in");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption="Sign in">Your security number</PageTitle>
        <DigitsForm positions={challenge.positions} fieldErrors={fieldErrorsFrom((await searchParams).error, digitsStepMessages, () => "digit")} />
      </div>
    </div>
  );
}
