"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

export function NewSecretForm({
  action,
  which,
  minimumPasswordLength,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  which: "password" | "security_number";
  minimumPasswordLength: number;
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const password = which === "password";
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
        <TextInput
          id="secret"
          label={password ? "New password" : "New security number"}
          type="password"
          autoComplete={password ? "new-password" : "off"}
          inputMode={password ? undefined : "numeric"}
          width={password ? undefined : "10"}
          code={!password}
          hint={
            password
              ? `At least ${minimumPasswordLength} characters. Common or previously leaked passwords are refused.`
              : "6 digits. Avoid numbers such as 000000 or 123456."
          }
          error={state.fieldErrors.secret}
        />
        <TextInput
          id="confirm"
          label={password ? "Type the new password again" : "Type the new security number again"}
          type="password"
          autoComplete={password ? "new-password" : "off"}
          inputMode={password ? undefined : "numeric"}
          width={password ? undefined : "10"}
          code={!password}
          error={state.fieldErrors.confirm}
        />
        <Button disabled={pending}>Save</Button>
      </form>
    </>
  );
}
