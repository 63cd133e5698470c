"use client";

import { useActionState, type ReactNode } from "react";
import { Button } from "../../_components/button";
import { ErrorSummary } from "../../_components/error-summary";
import { Textarea, TextInput } from "../../_components/form-fields";
import { emptyFormState, type FormState } from "../../_lib/form-state";

/** A message form: a reply in a thread, or (with a subject) a new message to the operator. */
export function MessageForm({
  action,
  hidden = {},
  withSubject = false,
  bodyLabel = "Your message",
  submitText = "Send",
  children,
}: {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  hidden?: Record<string, string>;
  withSubject?: boolean;
  bodyLabel?: string;
  submitText?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {children}
        {withSubject && <TextInput id="subject" label="Subject" defaultValue={v.subject} error={errors.subject} />}
        <Textarea id="body" label={bodyLabel} rows={6} defaultValue={v.body} error={errors.body} />
        <Button disabled={pending}>{submitText}</Button>
      </form>
    </>
  );
}
