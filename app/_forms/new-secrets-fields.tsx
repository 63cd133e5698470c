import { TextInput } from "../_components/form-fields";

/** Password and security number, each typed twice: set-up and "my account may be compromised". */
export function NewSecretsFields({ minimumPasswordLength, fieldErrors }: { minimumPasswordLength: number; fieldErrors: Record<string, string> }) {
  return (
    <>
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Choose a password</legend>
        <TextInput
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${minimumPasswordLength} characters. A few unrelated words make a good password; common or previously leaked passwords are refused.`}
          error={fieldErrors.password}
        />
        <TextInput id="passwordConfirm" label="Type the password again" type="password" autoComplete="new-password" error={fieldErrors.passwordConfirm} />
      </fieldset>
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Choose a security number</legend>
        <TextInput
          id="securityNumber"
          label="Security number"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          width="10"
          code
          hint="6 digits. When you sign in we ask for 3 of them, at different positions each time. Avoid numbers such as 000000 or 123456."
          error={fieldErrors.securityNumber}
        />
        <TextInput
          id="securityNumberConfirm"
          label="Type the security number again"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          width="10"
          code
          error={fieldErrors.securityNumberConfirm}
        />
      </fieldset>
    </>
  );
}
