"use client";

import { useActionState } from "react";
import { Button } from "../../../../../_components/button";
import { ErrorSummary } from "../../../../../_components/error-summary";
import { Checkbox, DateInput, Radios, Textarea, TextInput, dateFieldId } from "../../../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../../../_lib/form-state";
import { dateParts } from "../../../../../_lib/form-values";

export interface OpenCaseFormProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  organisationName: string;
  today: string;
  kinds: { value: string; label: string }[];
  methods: { value: string; label: string }[];
  roles: { key: string; name: string }[];
  rows: number;
}

/** UAP-A.7: one case for a closure, administration or change of ownership, sudden or planned. */
export function OpenCaseForm({ action, organisationName, today, kinds, methods, roles, rows }: OpenCaseFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  const accountsTouched = Object.keys(errors).some((k) => k.startsWith("newAccounts.")) || Object.entries(v).some(([k, value]) => k.startsWith("newAccounts.") && value);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} fieldIds={{ notifiedOn: dateFieldId("notifiedOn"), effectiveDate: dateFieldId("effectiveDate") }} />
      <form action={formAction} noValidate data-testid="open-case-form">
        <Radios id="kind" legend={`What is happening to ${organisationName}?`} legendSize="m" items={kinds} defaultValue={v.kind} error={errors.kind} />
        <Radios
          id="mode"
          legend="Is it sudden or planned?"
          legendSize="m"
          items={[
            { value: "sudden", label: "Sudden", hint: "Every account of the organisation is suspended, and everyone signed in is signed out, as soon as you open the case." },
            { value: "planned", label: "Planned", hint: "The changes below are scheduled for the date the change takes effect, and run on that date." },
          ]}
          defaultValue={v.mode}
          error={errors.mode}
        />
        <Textarea id="summary" label="What is happening" labelSize="s" rows={4} defaultValue={v.summary} error={errors.summary} />

        <h2 className="govuk-heading-m">The notification</h2>
        <TextInput id="notifiedBy" label="Who told us (name and role)" defaultValue={v.notifiedBy} error={errors.notifiedBy} />
        <Radios id="notifiedVia" legend="How we were told" legendSize="s" items={methods} defaultValue={v.notifiedVia} error={errors.notifiedVia} small />
        <DateInput id="notifiedOn" legend="When we were told" legendSize="s" defaultValue={dateParts(v.notifiedOn ?? today)} error={errors.notifiedOn} />
        <TextInput id="notifiedTime" label="Time we were told (optional)" hint="For example, 14:30" width="5" defaultValue={v.notifiedTime} error={errors.notifiedTime} />

        <h2 className="govuk-heading-m">For a planned change</h2>
        <DateInput id="effectiveDate" legend="Date the change takes effect" legendSize="s" hint="The scheduled changes run on this date." defaultValue={dateParts(v.effectiveDate)} error={errors.effectiveDate} />
        <Checkbox
          id="suspendExisting"
          label={`Suspend ${organisationName}'s existing accounts on that date`}
          defaultChecked={state.values ? v.suspendExisting === "yes" : true}
          error={errors.suspendExisting}
        />
        <details className="govuk-details" open={accountsTouched}>
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Accounts to create on that date, for a new owner or administrator</span>
          </summary>
          <div className="govuk-details__text">
            {Array.from({ length: rows }, (_, i) => {
              const f = (name: string) => `newAccounts.${i}.${name}`;
              return (
                <fieldset key={i} className="govuk-fieldset govuk-!-margin-bottom-6">
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">New account {i + 1}</legend>
                  <TextInput id={f("fullName")} label="Full name" defaultValue={v[f("fullName")]} error={errors[f("fullName")]} />
                  <TextInput id={f("email")} label="Work email address" type="email" spellCheck={false} defaultValue={v[f("email")]} error={errors[f("email")]} />
                  <Checkbox
                    id={f("emailAttested")}
                    label="I confirm this address is used only by this person (needed outside the accepted domains)"
                    defaultChecked={v[f("emailAttested")] === "yes"}
                    error={errors[f("emailAttested")]}
                  />
                  <TextInput id={f("jobTitle")} label="Job title (optional)" defaultValue={v[f("jobTitle")]} error={errors[f("jobTitle")]} />
                  <div className={errors[f("roleKey")] ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
                    <label className="govuk-label" htmlFor={f("roleKey")}>
                      Security role
                    </label>
                    {errors[f("roleKey")] && (
                      <p id={`${f("roleKey")}-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {errors[f("roleKey")]}
                      </p>
                    )}
                    <select className="govuk-select" id={f("roleKey")} name={f("roleKey")} defaultValue={v[f("roleKey")] ?? ""}>
                      <option value="">Choose a role</option>
                      {roles.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.name}
                        </option>
                      ))}
                    </select>
                  </div>
                </fieldset>
              );
            })}
          </div>
        </details>

        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            For a sudden case, every account of {organisationName} is suspended and everyone signed in is signed out when you open it.
          </strong>
        </div>
        <Button variant="warning" disabled={pending}>
          Open case
        </Button>
      </form>
    </>
  );
}
