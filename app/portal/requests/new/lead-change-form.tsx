"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { Checkbox, Checkboxes, Radios, Textarea, TextInput } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

/** UAP-A.3: a new Lead correspondent — confirmed by the operator by telephone and email before it is applied. */
export function LeadChangeForm({
  action,
  people,
  roles,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  people: { id: string; label: string }[];
  roles: { key: string; name: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate>
        <input type="hidden" name="type" value="lead_change" />
        <Radios
          id="newLead"
          legend="Who will be the new Lead correspondent?"
          legendSize="s"
          items={[
            { value: "existing", label: "Someone who already has an account" },
            { value: "new", label: "Someone without an account yet" },
          ]}
          defaultValue={v.newLead}
          error={errors.newLead}
        />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="newLeadAccountId">
            If they have an account: choose them
          </label>
          {errors.newLeadAccountId && <p className="govuk-error-message">{errors.newLeadAccountId}</p>}
          <select className="govuk-select" id="newLeadAccountId" name="newLeadAccountId" defaultValue={v.newLeadAccountId ?? ""}>
            <option value="">Choose a person</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">If they do not have an account</legend>
          <TextInput id="fullName" label="Full name" defaultValue={v.fullName} error={errors.fullName} />
          <TextInput id="email" label="Work email address" type="email" spellCheck={false} defaultValue={v.email} error={errors.email} />
          <Checkbox id="emailAttested" label="If the address is not on an accepted domain: I confirm only this person uses it" defaultChecked={v.emailAttested === "yes"} error={errors.emailAttested} />
          <TextInput id="jobTitle" label="Job title" defaultValue={v.jobTitle} error={errors.jobTitle} />
        </fieldset>
        <Radios
          id="outgoingLead"
          legend="What should happen to the outgoing Lead correspondent's account?"
          legendSize="s"
          items={[
            { value: "suspend", label: "Suspend it" },
            { value: "keep", label: "Keep it, with another role" },
          ]}
          defaultValue={v.outgoingLead}
          error={errors.outgoingLead}
        />
        <Checkboxes
          id="outgoingRoleKeys"
          legend="If kept: their new role"
          legendSize="s"
          items={roles.map((r) => ({ value: r.key, label: r.name }))}
          defaultValues={v.outgoingRoleKeys ? v.outgoingRoleKeys.split(",") : []}
          error={errors.outgoingRoleKeys}
          small
        />
        <Textarea id="reason" label="Anything the operator should know (optional)" rows={3} defaultValue={v.reason} error={errors.reason} />
        <div className="govuk-inset-text">Before the change is made, the operator&apos;s staff confirm it with your organisation by telephone and by email.</div>
        <Button disabled={pending}>Send request</Button>
      </form>
    </>
  );
}
