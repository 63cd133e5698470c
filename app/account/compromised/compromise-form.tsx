"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { Textarea } from "../../_components/form-fields";
import { NewSecretsFields } from "../../_forms/new-secrets-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

export function CompromiseForm({ action, minimumPasswordLength }: { action: (prev: FormState, data: FormData) => Promise<FormState>; minimumPasswordLength: number }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <NewSecretsFields minimumPasswordLength={minimumPasswordLength} fieldErrors={state.fieldErrors} />
        <Textarea
          id="note"
          label="What happened? (optional)"
          labelSize="m"
          hint="For example, you typed your password into a page you did not trust, or someone saw your security number. This goes to the operator's staff."
          error={state.fieldErrors.note}
        />
        <Button variant="warning" disabled={pending}>
          Change my details and sign me out everywhere
        </Button>
      </form>
    </>
  );
}
