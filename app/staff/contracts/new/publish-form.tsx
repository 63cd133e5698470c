"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { TextInput } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

/** Staff upload a contract PDF for a care package (AUP-2.1c). */
export function PublishForm({ action }: { action: (prev: FormState, data: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} encType="multipart/form-data" noValidate>
        <TextInput id="carePackageRef" label="Care package reference" hint="The package's reference in the finance and care-management system, for example PKG-1001" spellCheck={false} defaultValue={v.carePackageRef} error={errors.carePackageRef} />
        <TextInput id="title" label="Contract title" defaultValue={v.title} error={errors.title} />
        <div className={errors.file ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <label className="govuk-label" htmlFor="file">
            Contract (PDF, up to 5 MB)
          </label>
          {errors.file && (
            <p className="govuk-error-message" id="file-error">
              <span className="govuk-visually-hidden">Error:</span> {errors.file}
            </p>
          )}
          <input className="govuk-file-upload" id="file" name="file" type="file" accept="application/pdf,.pdf" aria-describedby={errors.file ? "file-error" : undefined} />
        </div>
        <Button disabled={pending}>Publish contract</Button>
      </form>
    </>
  );
}
