"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { Radios, Textarea, TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

function Select({ id, label, options, defaultValue, error }: { id: string; label: string; options: { value: string; label: string }[]; defaultValue?: string; error?: string }) {
  return (
    <div className={error ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      {error && (
        <p className="govuk-error-message" id={`${id}-error`}>
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      <select className="govuk-select" id={id} name={id} defaultValue={defaultValue ?? ""} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">Choose</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A new query (AUP-2.1d): about a person whose care the organisation provides, or about a payment. */
export function NewQueryForm({
  action,
  individuals,
  payments,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  individuals: { value: string; label: string }[];
  payments: { value: string; label: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate>
        <Radios
          id="topic"
          legend="What is the query about?"
          legendSize="s"
          items={[
            { value: "individual", label: "A person receiving care" },
            { value: "payment", label: "A payment" },
          ]}
          defaultValue={v.topic}
          error={errors.topic}
        />
        <Select id="individualId" label="If about a person: who" options={individuals} defaultValue={v.individualId} error={errors.individualId} />
        <Select id="paymentId" label="If about a payment: which" options={payments} defaultValue={v.paymentId} error={errors.paymentId} />
        <TextInput id="subject" label="Subject" defaultValue={v.subject} error={errors.subject} />
        <Textarea id="body" label="Your query" rows={6} defaultValue={v.body} error={errors.body} />
        <Button disabled={pending}>Send query</Button>
      </form>
    </>
  );
}
