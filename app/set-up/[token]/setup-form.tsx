"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { Checkbox } from "../../_components/form-fields";
import { NewSecretsFields } from "../../_forms/new-secrets-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

export function SetupForm({
  action,
  minimumPasswordLength,
  policyLabel,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  minimumPasswordLength: number;
  policyLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <NewSecretsFields minimumPasswordLength={minimumPasswordLength} fieldErrors={state.fieldErrors} />
        <h2 className="govuk-heading-m">Acceptable use</h2>
        <Checkbox id="acceptPolicy" label={policyLabel} error={state.fieldErrors.acceptPolicy} />
        <Button disabled={pending}>Set up my account</Button>
      </form>
    </>
  );
}
