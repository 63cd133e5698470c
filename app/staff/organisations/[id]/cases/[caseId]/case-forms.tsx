"use client";

import { useActionState } from "react";
import { Button } from "../../../../../_components/button";
import { ErrorSummary } from "../../../../../_components/error-summary";
import { Checkbox, DateInput, Radios, Textarea, TextInput, dateFieldId } from "../../../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../../../_lib/form-state";
import { dateParts } from "../../../../../_lib/form-values";

type Action = (prev: FormState, data: FormData) => Promise<FormState>;

/** UAP-A.7: the written confirmation from someone with authority. */
export function ConfirmationForm({ action, roles, initial }: { action: Action; roles: { value: string; label: string }[]; initial: Record<string, string> }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? initial;
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} fieldIds={{ confirmedOn: dateFieldId("confirmedOn") }} />
      <form action={formAction} noValidate data-testid="confirmation-form">
        <TextInput id="confirmedByName" label="Name of the person who confirmed" defaultValue={v.confirmedByName} error={errors.confirmedByName} />
        <Radios id="confirmedByRole" legend="Their authority" legendSize="s" items={roles} defaultValue={v.confirmedByRole} error={errors.confirmedByRole} />
        <DateInput id="confirmedOn" legend="Date of the written confirmation" legendSize="s" defaultValue={dateParts(v.confirmedOn)} error={errors.confirmedOn} />
        <Textarea id="confirmationNote" label="The confirmation" hint="What it is (letter, email) and where it is kept." rows={3} defaultValue={v.confirmationNote} error={errors.confirmationNote} />
        <Button variant="secondary" disabled={pending}>
          Record confirmation
        </Button>
      </form>
    </>
  );
}

/** UAP-A.7 checklist: providers who took over care packages can see what they need. */
export function CarePackagesForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate data-testid="care-packages-form">
        <Checkbox
          id="carePackagesConfirmed"
          label="Providers who took over the organisation's care packages can see what they need in the portal"
          defaultChecked={v.carePackagesConfirmed === "yes"}
          error={errors.carePackagesConfirmed}
        />
        <Textarea id="carePackagesNote" label="How this was checked (optional)" rows={2} defaultValue={v.carePackagesNote} error={errors.carePackagesNote} />
        <Button variant="secondary" disabled={pending}>
          Record the check
        </Button>
      </form>
    </>
  );
}

export function CloseCaseForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction}>
        <Button disabled={pending}>Close the case</Button>
      </form>
    </>
  );
}
