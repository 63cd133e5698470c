"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

const ordinal = (n: number) => `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

/** One masked single-digit box per asked position, labelled "2nd digit", "5th digit" … */
export function DigitsForm({ positions, action }: { positions: number[]; action: (prev: FormState, data: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction} noValidate>
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
                error={state.fieldErrors[`digit-${i}`]}
              />
            ))}
          </div>
        </fieldset>
        <Button disabled={pending}>Sign in</Button>
      </form>
    </>
  );
}
