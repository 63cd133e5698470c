"use client";

import { useActionState } from "react";
import { Button } from "../../../../_components/button";
import { ErrorSummary } from "../../../../_components/error-summary";
import { Checkbox, TextInput } from "../../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../../_lib/form-state";

const ordinal = (n: number) => `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

/** AUP-2.1c: typed full name, the declaration, and the security-number digits asked for this attempt. */
export function SignForm({
  action,
  contractId,
  challengeId,
  positions,
  problem,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  contractId: string;
  challengeId: string;
  positions: number[];
  problem?: string;
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const errors = state.fieldErrors;
  const v = state.values ?? {};
  return (
    <>
      <ErrorSummary message={state.message ?? problem} fieldErrors={errors} />
      <form action={formAction} noValidate>
        <input type="hidden" name="contractId" value={contractId} />
        <input type="hidden" name="challengeId" value={challengeId} />
        <TextInput id="typedName" label="Your full name" hint="As it appears on your portal account" autoComplete="name" spellCheck={false} defaultValue={v.typedName} error={errors.typedName} />
        <Checkbox id="confirm" label="I have read this contract and I sign it on behalf of my organisation" error={errors.confirm} />
        <fieldset className="govuk-fieldset" aria-describedby="digits-hint">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Confirm it is you</legend>
          <div id="digits-hint" className="govuk-hint">
            Enter the {positions.map(ordinal).join(", ").replace(/, ([^,]*)$/, " and $1")} digits of your 6-digit security number.
          </div>
          <div className="portal-digits">
            {positions.map((position, i) => (
              <TextInput key={position} id={`digit-${i}`} name="digit" label={`${ordinal(position)} digit`} type="password" inputMode="numeric" autoComplete="off" width="2" code error={errors[`digit-${i}`]} />
            ))}
          </div>
        </fieldset>
        <Button disabled={pending}>Sign contract</Button>
      </form>
    </>
  );
}
