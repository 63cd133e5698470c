"use client";

import Link from "next/link";
import { Fragment, useActionState, useState } from "react";
import { Button } from "../../../_components/button";
import { cx } from "../../../_components/cx";
import { ErrorSummary } from "../../../_components/error-summary";
import { Checkboxes, ErrorMessage, Textarea, TextInput } from "../../../_components/form-fields";
import { SummaryList } from "../../../_components/summary-list";
import { emptyFormState, type FormState } from "../../../_lib/form-state";

export interface ReviewFormItem {
  accountId: string;
  fullName: string;
  /** The account as it stood when the review opened, already worded: [label, value]. */
  facts: [string, string][];
  /** The saved decision, if any. */
  decision: string | null;
  /** The decisions offered (keep only, for a suspended account or the Lead correspondent's own). */
  choices: string[];
  /** Why only "keep" is offered, shown under it. */
  keepHint: string | null;
  /** A decision that became a request, which stands: its wording and the request's page. */
  settled: { text: string; reference: string; href: string } | null;
  currentRoleKeys: string[];
}

export interface ReviewDecisionsFormProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  reviewId: string;
  items: ReviewFormItem[];
  roles: { key: string; name: string; description: string; clinical: boolean }[];
  suspensionReasons: { value: string; label: string }[];
}

const choiceLabels: Record<string, { label: string; hint: string }> = {
  keep: { label: "Keep", hint: "They still need this access." },
  change_role: { label: "Change role", hint: "Ask for different security roles." },
  suspend: { label: "Suspend", hint: "They no longer need access, or have left." },
};

/**
 * UAP-4.2: every account of the review, each with keep / change role / suspend. Choosing
 * "Change role" shows the roles to ask for, "Suspend" the reason (GOV.UK conditional reveals,
 * done in React because GOV.UK Frontend's script is not loaded: a hidden reveal holds no fields,
 * so nothing unchosen is posted). One form, one error summary.
 */
export function ReviewDecisionsForm({ action, reviewId, items, roles, suspensionReasons }: ReviewDecisionsFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const values = state.values ?? {};
  const errors = state.fieldErrors;
  const [chosen, setChosen] = useState<Record<string, string>>(() => Object.fromEntries(items.map((i) => [i.accountId, i.decision ?? ""])));
  const anyClinical = roles.some((r) => r.clinical);

  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate data-testid="review-form">
        <input type="hidden" name="reviewId" value={reviewId} />
        {items.map((item) => {
          const id = item.accountId;
          const value = (field: string) => values[`${field}-${id}`];
          const selected = chosen[id] ?? "";
          const decisionError = errors[`decision-${id}`];
          return (
            <div key={id} className="govuk-!-margin-bottom-8" data-testid="review-item" data-account={id}>
              <h2 className="govuk-heading-m" id={`name-${id}`}>
                {item.fullName}
              </h2>
              <SummaryList rows={item.facts.map(([key, text]) => ({ key, value: text }))} className="govuk-!-margin-bottom-4" />
              {item.settled ? (
                <p className="govuk-body" data-testid="settled-decision">
                  {item.settled.text}:{" "}
                  <Link className="govuk-link" href={item.settled.href}>
                    {item.settled.reference}
                  </Link>
                </p>
              ) : (
                <div className={cx("govuk-form-group", decisionError && "govuk-form-group--error")}>
                  <fieldset className="govuk-fieldset" aria-describedby={decisionError ? `decision-${id}-error` : undefined}>
                    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">What should happen to {item.fullName}&apos;s account?</legend>
                    {decisionError && <ErrorMessage id={`decision-${id}-error`}>{decisionError}</ErrorMessage>}
                    <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
                      {item.choices.map((choice, index) => {
                        const optionId = index === 0 ? `decision-${id}` : `decision-${id}-${index + 1}`;
                        const hint = choice === "keep" && item.keepHint ? item.keepHint : choiceLabels[choice]?.hint;
                        const reveals = choice === "change_role" || choice === "suspend";
                        return (
                          <Fragment key={choice}>
                            <div className="govuk-radios__item">
                              <input
                                className="govuk-radios__input"
                                id={optionId}
                                name={`decision-${id}`}
                                type="radio"
                                value={choice}
                                defaultChecked={(value("decision") ?? item.decision ?? "") === choice}
                                onChange={() => setChosen((c) => ({ ...c, [id]: choice }))}
                                aria-describedby={hint ? `${optionId}-item-hint` : undefined}
                                aria-controls={reveals ? `conditional-${optionId}` : undefined}
                              />
                              <label className="govuk-label govuk-radios__label" htmlFor={optionId}>
                                {choiceLabels[choice]?.label ?? choice}
                              </label>
                              {hint && (
                                <div id={`${optionId}-item-hint`} className="govuk-hint govuk-radios__hint">
                                  {hint}
                                </div>
                              )}
                            </div>
                            {choice === "change_role" && (
                              <div className="govuk-radios__conditional" id={`conditional-${optionId}`} hidden={selected !== choice}>
                                {selected === choice && (
                                  <>
                                    <Checkboxes
                                      id={`roleKeys-${id}`}
                                      legend={`New security role for ${item.fullName}`}
                                      legendSize="s"
                                      hint="The roles they should have from now on. Their current roles are ticked."
                                      small
                                      items={roles.map((r) => ({ value: r.key, label: `${r.name}${r.clinical ? " (clinical)" : ""}`, hint: r.description }))}
                                      defaultValues={value("roleKeys") !== undefined ? value("roleKeys")!.split(",").filter(Boolean) : item.currentRoleKeys}
                                      error={errors[`roleKeys-${id}`]}
                                    />
                                    {anyClinical && (
                                      <>
                                        <TextInput id={`registrationBody-${id}`} label="Professional body (for a clinical role)" defaultValue={value("registrationBody")} error={errors[`registrationBody-${id}`]} />
                                        <TextInput id={`registrationNumber-${id}`} label="Registration number (for a clinical role)" width="10" defaultValue={value("registrationNumber")} error={errors[`registrationNumber-${id}`]} />
                                      </>
                                    )}
                                  </>
                                )}
                              </div>
                            )}
                            {choice === "suspend" && (
                              <div className="govuk-radios__conditional" id={`conditional-${optionId}`} hidden={selected !== choice}>
                                {selected === choice && (
                                  <>
                                    <ReasonSelect id={`reason-${id}`} name={item.fullName} options={suspensionReasons} defaultValue={value("reason")} error={errors[`reason-${id}`]} />
                                    <Textarea id={`reasonDetail-${id}`} label="More detail (needed for another reason)" rows={2} defaultValue={value("reasonDetail")} error={errors[`reasonDetail-${id}`]} />
                                  </>
                                )}
                              </div>
                            )}
                          </Fragment>
                        );
                      })}
                    </div>
                  </fieldset>
                </div>
              )}
            </div>
          );
        })}
        <Button disabled={pending}>Save decisions</Button>
      </form>
    </>
  );
}

function ReasonSelect({ id, name, options, defaultValue, error }: { id: string; name: string; options: { value: string; label: string }[]; defaultValue?: string; error?: string }) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        Why should {name}&apos;s account be suspended?
      </label>
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <select className={cx("govuk-select", error && "govuk-select--error")} id={id} name={id} defaultValue={defaultValue ?? ""} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">Choose a reason</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
