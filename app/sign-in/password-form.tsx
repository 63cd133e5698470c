"use client";

import { useActionState } from "react";
import { Button } from "../_components/button";
import { ErrorSummary } from "../_components/error-summary";
import { TextInput } from "../_components/form-fields";
import { emptyFormState, type FormState } from "../_lib/form-state";

export function PasswordForm({ action, failure }: { action: (prev: FormState, data: FormData) => Promise<FormState>; failure?: string }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message ?? failure} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <TextInput id="email" label="Email address" type="email" autoComplete="username" spellCheck={false} defaultValue={state.values?.email} error={state.fieldErrors.email} />
        <TextInput id="password" label="Password" type="password" autoComplete="current-password" error={state.fieldErrors.password} />
        <Button disabled={pending}>Continue</Button>
      </form>
    </>
  );
}
