"use client";

import { useActionState } from "react";
import { Button } from "../_components/button";
import { ErrorSummary } from "../_components/error-summary";
import { Radios, TextInput } from "../_components/form-fields";
import { emptyFormState, type FormState } from "../_lib/form-state";

export function ResetRequestForm({ action }: { action: (prev: FormState, data: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <Radios
          id="which"
          legend="What have you forgotten?"
          legendSize="m"
          items={[
            { value: "password", label: "My password" },
            { value: "security_number", label: "My security number" },
          ]}
          defaultValue={state.values?.which}
          error={state.fieldErrors.which}
        />
        <TextInput
          id="email"
          label="Email address"
          hint="The address you sign in with"
          type="email"
          autoComplete="username"
          spellCheck={false}
          defaultValue={state.values?.email}
          error={state.fieldErrors.email}
        />
        <Button disabled={pending}>Send me a reset link</Button>
      </form>
    </>
  );
}
