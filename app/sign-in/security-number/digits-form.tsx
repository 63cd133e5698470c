import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { TextInput } from "../../_components/form-fields";

const ordinal = (n: number) => `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

/** One masked single-digit box per asked position, labelled "2nd digit", "5th digit" … (posts to POST /sign-in/digits). */
export function DigitsForm({ positions, fieldErrors }: { positions: number[]; fieldErrors: Record<string, string> }) {
  return (
    <>
      <ErrorSummary fieldErrors={fieldErrors} />
      <form method="post" action="/sign-in/digits" noValidate>
        <fieldset className="govuk-fieldset" aria-describedby="digits-hint">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Digits of your security number</legend>
          <div id="digits-hint" className="govuk-hint">
            Enter the {positions.map(ordinal).join(", ").replace(/, ([^,]*)$/, " and $1")} digits of your 6-digit security number.
          </div>
          <div className="portal-digits">
            {positions.map((position, i) => (
              <TextInput
                key={position}
                id={`digit-${i}`}
                name="digit"
                label={`${ordinal(position)} digit`}
                type="password"
                inputMode="numeric"
                autoComplete="off"
                width="2"
                code
                error={fieldErrors[`digit-${i}`]}
              />
            ))}
          </div>
        </fieldset>
        <Button>Sign in</Button>
      </form>
    </>
  );
}
