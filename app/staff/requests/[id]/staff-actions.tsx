"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

export interface StaffActionsProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  version: number;
  /** The actions the rules allow now (lib/requests/rules availableActions). */
  allowed: string[];
  /** Why an action is not allowed yet, e.g. "confirm by telephone first". */
  blocked: { action: string; reason: string }[];
  priority: string;
  priorities: { value: string; label: string }[];
  staff: { id: string; fullName: string }[];
  assigneeId: string | null;
  viewerId: string;
  relatedSystems: { key: string; name: string; done: boolean }[];
  missingConfirmations: string[];
}

/** The forms staff act on a request with; every one posts to the same server action. */
export function StaffActions(props: StaffActionsProps) {
  const [state, formAction, pending] = useActionState(props.action, emptyFormState);
  const { allowed } = props;
  const has = (a: string) => allowed.includes(a);
  const hidden = (name: string) => (
    <>
      <input type="hidden" name="action" value={name} />
      <input type="hidden" name="version" value={props.version} />
    </>
  );
  return (
    <div data-testid="staff-actions">
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      {props.blocked.length > 0 && (
        <div className="govuk-inset-text">
          {props.blocked.map((b) => (
            <p key={b.action} className="govuk-body">
              {b.reason}
            </p>
          ))}
        </div>
      )}
      <div className="govuk-button-group">
        {has("assign") && props.assigneeId !== props.viewerId && (
          <form action={formAction}>
            {hidden("assign_to_me")}
            <Button variant="secondary" disabled={pending}>
              Assign to me
            </Button>
          </form>
        )}
        {has("start") && (
          <form action={formAction}>
            {hidden("start")}
            <Button variant="secondary" disabled={pending}>
              Start work
            </Button>
          </form>
        )}
        {has("approve") && (
          <form action={formAction}>
            {hidden("approve")}
            <Button disabled={pending}>Approve and apply</Button>
          </form>
        )}
        {has("close") && (
          <form action={formAction}>
            {hidden("close")}
            <Button variant="secondary" disabled={pending}>
              Close
            </Button>
          </form>
        )}
        {has("archive") && (
          <form action={formAction}>
            {hidden("archive")}
            <Button variant="secondary" disabled={pending}>
              Archive
            </Button>
          </form>
        )}
      </div>

      {has("prioritise") && (
        <form action={formAction} className="portal-inline-form">
          {hidden("prioritise")}
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="priority">
              Priority
            </label>
            <select className="govuk-select" id="priority" name="priority" defaultValue={props.priority}>
              {props.priorities.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary" disabled={pending}>
            Set priority
          </Button>
        </form>
      )}

      {has("assign") && (
        <form action={formAction} className="portal-inline-form">
          {hidden("assign")}
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="assigneeId">
              Assign to
            </label>
            <select className="govuk-select" id="assigneeId" name="assigneeId" defaultValue={props.assigneeId ?? ""}>
              <option value="">Choose a person</option>
              {props.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.fullName}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary" disabled={pending}>
            Assign
          </Button>
        </form>
      )}

      {has("record_confirmation") && props.missingConfirmations.length > 0 && (
        <form action={formAction}>
          {hidden("confirm_lead")}
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Record a confirmation of the Lead change (UAP-A.3)</legend>
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="method">
                How it was confirmed
              </label>
              <select className="govuk-select" id="method" name="method" defaultValue={props.missingConfirmations[0]}>
                {props.missingConfirmations.map((m) => (
                  <option key={m} value={m}>
                    {m === "telephone" ? "By telephone" : "By email"}
                  </option>
                ))}
              </select>
            </div>
            <div className={state.fieldErrors.confirmedWith ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
              <label className="govuk-label" htmlFor="confirmedWith">
                Confirmed with (name, and number or address)
              </label>
              {state.fieldErrors.confirmedWith && <p className="govuk-error-message">{state.fieldErrors.confirmedWith}</p>}
              <input className="govuk-input" id="confirmedWith" name="confirmedWith" type="text" />
            </div>
            <Button variant="secondary" disabled={pending}>
              Record confirmation
            </Button>
          </fieldset>
        </form>
      )}

      {has("confirm_sender") && (
        <form action={formAction}>
          {hidden("confirm_sender")}
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">I have confirmed the sender (UAP-A.8)</legend>
            <div className={state.fieldErrors.note && state.values?.action === "confirm_sender" ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
              <label className="govuk-label" htmlFor="note">
                How you confirmed it
              </label>
              <div id="note-hint" className="govuk-hint">
                For example: called the account holder on the number we hold, and they confirmed they sent the email.
              </div>
              {state.fieldErrors.note && state.values?.action === "confirm_sender" && (
                <p id="note-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {state.fieldErrors.note}
                </p>
              )}
              <textarea className="govuk-textarea" id="note" name="note" rows={3} aria-describedby="note-hint" />
            </div>
            <Button variant="secondary" disabled={pending}>
              I have confirmed the sender
            </Button>
          </fieldset>
        </form>
      )}

      {has("tick_related_system") && props.relatedSystems.some((s) => !s.done) && (
        <div className="govuk-!-margin-bottom-6">
          <h3 className="govuk-heading-s">Related systems to update (UAP-A.2b)</h3>
          {props.relatedSystems
            .filter((s) => !s.done)
            .map((s) => (
              <form key={s.key} action={formAction} className="portal-inline-form">
                {hidden("tick")}
                <input type="hidden" name="systemKey" value={s.key} />
                <Button variant="secondary" disabled={pending}>
                  Mark {s.name} done
                </Button>
              </form>
            ))}
        </div>
      )}

      {has("reject") && (
        <form action={formAction}>
          {hidden("reject")}
          <div className={state.fieldErrors.reason ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
            <label className="govuk-label govuk-label--s" htmlFor="reason">
              Reject with a reason
            </label>
            <div id="reason-hint" className="govuk-hint">
              The requester receives it by email.
            </div>
            {state.fieldErrors.reason && (
              <p id="reason-error" className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {state.fieldErrors.reason}
              </p>
            )}
            <textarea className="govuk-textarea" id="reason" name="reason" rows={3} aria-describedby="reason-hint" />
          </div>
          <Button variant="warning" disabled={pending}>
            Reject
          </Button>
        </form>
      )}

      {has("note") && (
        <form action={formAction}>
          {hidden("note")}
          <div className={state.fieldErrors.body ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
            <label className="govuk-label govuk-label--s" htmlFor="body">
              Add an internal note
            </label>
            <div id="body-hint" className="govuk-hint">
              Notes are kept with the request and can never be edited or deleted. Providers do not see them.
            </div>
            {state.fieldErrors.body && (
              <p id="body-error" className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {state.fieldErrors.body}
              </p>
            )}
            <textarea className="govuk-textarea" id="body" name="body" rows={3} aria-describedby="body-hint" />
          </div>
          <Button variant="secondary" disabled={pending}>
            Add note
          </Button>
        </form>
      )}
    </div>
  );
}
