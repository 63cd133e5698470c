import { Button } from "../_components/button";
import { ErrorSummary } from "../_components/error-summary";
import { TextInput } from "../_components/form-fields";

/** Step 1's form: a plain HTML form posting to the route handler POST /sign-in/password. */
export function PasswordForm({ failure, fieldErrors }: { failure?: string; fieldErrors: Record<string, string> }) {
  return (
    <>
      <ErrorSummary message={failure} fieldErrors={fieldErrors} />
      <form method="post" action="/sign-in/password" noValidate>
        <TextInput id="email" label="Email address" type="email" autoComplete="username" spellCheck={false} error={fieldErrors.email} />
        <TextInput id="password" label="Password" type="password" autoComplete="current-password" error={fieldErrors.password} />
        <Button>Continue</Button>
      </form>
    </>
  );
}
