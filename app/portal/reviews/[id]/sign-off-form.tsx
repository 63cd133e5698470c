"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

/** "Sign off the review": shown once every account has a decision (UAP-4.2). */
export function SignOffForm({ action, reviewId, periodLabel }: { action: (prev: FormState, data: FormData) => Promise<FormState>; reviewId: string; periodLabel: string }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <section aria-labelledby="sign-off-heading" data-testid="sign-off">
      <ErrorSummary message={state.message} fieldErrors={{}} />
      <h2 className="govuk-heading-m" id="sign-off-heading">
        Sign off the review
      </h2>
      <p className="govuk-body">
        By signing off you confirm that you have checked every account above for {periodLabel}, and that each person still needs the access you
        chose to keep.
      </p>
      <form action={formAction}>
        <input type="hidden" name="reviewId" value={reviewId} />
        <Button disabled={pending}>Sign off the review</Button>
      </form>
    </section>
  );
}
