"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { Radios, Textarea, TextInput } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

export interface NewOrganisationFormProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  types: { value: string; label: string; hint?: string }[];
}

/** The organisation's ODS code, name, type and address (UAP-A.1). */
export function NewOrganisationForm({ action, types }: NewOrganisationFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate>
        <TextInput
          id="odsCode"
          label="ODS code"
          hint="The organisation's code in the NHS Organisation Data Service: 3 to 6 letters and numbers, for example AB1C2."
          width="10"
          code
          spellCheck={false}
          defaultValue={v.odsCode}
          error={errors.odsCode}
        />
        <TextInput id="name" label="Organisation name" defaultValue={v.name} error={errors.name} />
        <Radios id="type" legend="Type of organisation" legendSize="s" items={types} defaultValue={v.type} error={errors.type} />
        <Textarea id="address" label="Address" rows={4} defaultValue={v.address} error={errors.address} />
        <Button disabled={pending}>Add organisation</Button>
      </form>
    </>
  );
}
