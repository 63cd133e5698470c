import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { TextInput } from "../../_components/form-fields";

/** Step 3's form, posting to POST /sign-in/code. */
export function CodeForm({ minutes, fieldErrors }: { minutes: number; fieldErrors: Record<string, string> }) {
  return (
    <>
      <ErrorSummary fieldErrors={fieldErrors} />
      <form method="post" action="/sign-in/code" noValidate>
        <TextInput
          id="code"
          label="Code from the email"
          hint={`The code is 6 digits and works for ${minutes} minutes.`}
          inputMode="numeric"
          autoComplete="one-time-code"
          width="5"
          code
          error={fieldErrors.code}
        />
        <Button>Sign in</Button>
      </form>
    </>
  );
}
