"use client";

import { useActionState } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { Radios, TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

/** A key contact's details (AUP-2.1a): the same form adds one and changes one. */
export function ContactForm({
  action,
  roles,
  initial,
  contactId,
  version,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  roles: { value: string; label: string }[];
  initial?: Record<string, string>;
  contactId?: string;
  version?: number;
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? initial ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate>
        {contactId && <input type="hidden" name="contactId" value={contactId} />}
        {version !== undefined && <input type="hidden" name="version" value={version} />}
        <Radios id="role" legend="Role" legendSize="s" items={roles} defaultValue={v.role} error={errors.role} small />
        <TextInput id="roleLabel" label="If other: what the role is called" defaultValue={v.roleLabel} error={errors.roleLabel} />
        <TextInput id="fullName" label="Full name" autoComplete="off" defaultValue={v.fullName} error={errors.fullName} />
        <TextInput id="jobTitle" label="Job title (optional)" defaultValue={v.jobTitle} error={errors.jobTitle} />
        <TextInput id="email" label="Email address" type="email" spellCheck={false} autoComplete="off" defaultValue={v.email} error={errors.email} hint="An email address or a telephone number, or both." />
        <TextInput id="phone" label="Telephone" type="tel" autoComplete="off" width="20" defaultValue={v.phone} error={errors.phone} />
        <TextInput id="availability" label="When to contact them (optional)" hint="For example, weekdays 9am to 5pm, or 24 hours" defaultValue={v.availability} error={errors.availability} />
        <Button disabled={pending}>Save contact</Button>
      </form>
    </>
  );
}
