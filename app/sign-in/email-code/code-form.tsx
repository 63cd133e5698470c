"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

export function CodeForm({ minutes, action }: { minutes: number; action: (prev: FormState, data: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <TextInput
          id="code"
          label="Code from the email"
          hint={`The code is 6 digits and works for ${minutes} minutes.`}
          inputMode="numeric"
          autoComplete="one-time-code"
          width="5"
          code
          error={state.fieldErrors.code}
        />
        <Button disabled={pending}>Sign in</Button>
      </form>
    </>
  );
}
