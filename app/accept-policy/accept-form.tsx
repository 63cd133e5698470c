"use client";

import { useActionState } from "react";
import { Button } from "../_components/button";
import { ErrorSummary } from "../_components/error-summary";
import { Checkbox } from "../_components/form-fields";
import { emptyFormState, type FormState } from "../_lib/form-state";

export function AcceptForm({ action, label }: { action: (prev: FormState, data: FormData) => Promise<FormState>; label: string }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <Checkbox id="acceptPolicy" label={label} error={state.fieldErrors.acceptPolicy} />
        <Button disabled={pending}>Continue</Button>
      </form>
    </>
  );
}
