"use client";

import { useActionState, useState } from "react";
import type { PortalConfig, SecurityRole } from "@/lib/config/schema";
import { checkEmail, type EmailPolicy } from "@/lib/policy/email-policy";
import { suggestRole } from "@/lib/policy/job-title-roles";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { Checkbox, DateInput, Textarea, TextInput, dateFieldId } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";
import { dateParts } from "../../../_lib/form-values";

type RoleChoice = Pick<SecurityRole, "key" | "name" | "description" | "clinical">;

export interface NewUserFormProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  emailPolicy: EmailPolicy;
  roles: RoleChoice[];
  catalogue: Pick<PortalConfig, "securityRoles" | "jobTitleRoles">;
  /** e.g. "12 of 25 licences used this year". */
  licenceNote: string | null;
}

/**
 * The new-user request (UAP-2.1, CC-3). Works without JavaScript (the server checks
 * everything); with it, the email address is checked against the named-email policy as it is
 * typed (UAP-2.2, UCP-EMAIL-1) and the job title suggests a role (UCP-RBAC-2).
 */
export function NewUserForm({ action, emailPolicy, roles, catalogue, licenceNote }: NewUserFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const [email, setEmail] = useState(v.email ?? "");
  const [jobTitle, setJobTitle] = useState(v.jobTitle ?? "");
  const [roleKeys, setRoleKeys] = useState<string[]>(v.roleKeys ? v.roleKeys.split(",").filter(Boolean) : []);
  const [temporary, setTemporary] = useState(v.temporary === "yes");
  const check = email.trim() ? checkEmail(email, emailPolicy) : null;
  const suggested = suggestRole(jobTitle, catalogue);
  const suggestedRole = roles.find((r) => r.key === suggested);
  const clinicalChosen = roles.some((r) => r.clinical && roleKeys.includes(r.key));
  const errors = state.fieldErrors;

  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} fieldIds={{ endDate: dateFieldId("endDate"), igTrainingDate: dateFieldId("igTrainingDate"), roleKeys: "roleKeys" }} />
      <form action={formAction} noValidate>
        <input type="hidden" name="type" value="new_user" />
        <TextInput id="fullName" label="Full name" autoComplete="off" spellCheck={false} defaultValue={v.fullName} error={errors.fullName} />
        <div className={errors.email ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <label className="govuk-label" htmlFor="email">
            Work email address
          </label>
          <div id="email-hint" className="govuk-hint">
            The address only this person uses, such as firstname.lastname@ their organisation. Shared mailboxes and personal webmail are not accepted.
          </div>
          {errors.email && (
            <p id="email-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.email}
            </p>
          )}
          <input
            className={errors.email ? "govuk-input govuk-input--error" : "govuk-input"}
            id="email"
            name="email"
            type="email"
            autoComplete="off"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby={`email-hint email-check${errors.email ? " email-error" : ""}`}
          />
          <p id="email-check" className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0" aria-live="polite" data-testid="email-check">
            {check && !errors.email ? <span className={check.verdict === "accepted" ? "portal-check--ok" : "portal-check--problem"}>{check.reason}</span> : null}
          </p>
        </div>
        {(check?.verdict === "attestation_required" || errors.emailAttested) && (
          <Checkbox
            id="emailAttested"
            label="I confirm this address is used only by this person and is suitable for receiving information about the direct care of the people we support"
            defaultChecked={v.emailAttested === "yes"}
            error={errors.emailAttested}
          />
        )}
        <div className={errors.jobTitle ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <label className="govuk-label" htmlFor="jobTitle">
            Job title
          </label>
          {errors.jobTitle && (
            <p id="jobTitle-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.jobTitle}
            </p>
          )}
          <input
            className={errors.jobTitle ? "govuk-input govuk-input--error" : "govuk-input"}
            id="jobTitle"
            name="jobTitle"
            type="text"
            autoComplete="organization-title"
            value={jobTitle}
            onChange={(e) => setJobTitle(e.target.value)}
            aria-describedby={`jobTitle-suggestion${errors.jobTitle ? " jobTitle-error" : ""}`}
          />
          <p id="jobTitle-suggestion" className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0" aria-live="polite" data-testid="role-suggestion">
            {suggestedRole && !roleKeys.includes(suggestedRole.key) && (
              <>
                People with this job title usually have the <strong>{suggestedRole.name}</strong> role.{" "}
                <button type="button" className="portal-link-button" onClick={() => setRoleKeys([suggestedRole.key])}>
                  Use {suggestedRole.name}
                </button>
              </>
            )}
          </p>
        </div>
        <div className={errors.roleKeys ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <fieldset className="govuk-fieldset" aria-describedby={`roleKeys-hint${errors.roleKeys ? " roleKeys-error" : ""}`}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Security role</legend>
            <div id="roleKeys-hint" className="govuk-hint">
              What the person will be able to see and do. Leave empty to use the role their job title suggests.
            </div>
            {errors.roleKeys && (
              <p id="roleKeys-error" className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {errors.roleKeys}
              </p>
            )}
            <div className="govuk-checkboxes" data-module="govuk-checkboxes" id="roleKeys">
              {roles.map((role, i) => {
                const id = i === 0 ? "roleKeys-option" : `roleKeys-option-${i + 1}`;
                return (
                  <div key={role.key} className="govuk-checkboxes__item">
                    <input
                      className="govuk-checkboxes__input"
                      id={id}
                      name="roleKeys"
                      type="checkbox"
                      value={role.key}
                      checked={roleKeys.includes(role.key)}
                      onChange={(e) => setRoleKeys(e.target.checked ? [...roleKeys, role.key] : roleKeys.filter((k) => k !== role.key))}
                      aria-describedby={`${id}-hint`}
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                      {role.name}
                      {role.clinical ? " (clinical)" : ""}
                    </label>
                    <div id={`${id}-hint`} className="govuk-hint govuk-checkboxes__hint">
                      {role.description}
                    </div>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        {(clinicalChosen || errors.registrationBody || errors.registrationNumber) && (
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Professional registration</legend>
            <p className="govuk-body">A clinical role needs the person&apos;s professional registration.</p>
            <TextInput id="registrationBody" label="Professional body" hint="For example, NMC or HCPC" defaultValue={v.registrationBody} error={errors.registrationBody} />
            <TextInput id="registrationNumber" label="Registration number" width="10" defaultValue={v.registrationNumber} error={errors.registrationNumber} />
          </fieldset>
        )}
        <Textarea
          id="purpose"
          label="Why does this person need access?"
          hint="Access is only for the direct care of the people your organisation supports. Requests for research or any other purpose are refused."
          defaultValue={v.purpose}
          error={errors.purpose}
          rows={3}
        />
        <div className="govuk-form-group">
          <div className="govuk-checkboxes" data-module="govuk-checkboxes">
            <div className="govuk-checkboxes__item">
              <input
                className="govuk-checkboxes__input"
                id="temporary"
                name="temporary"
                type="checkbox"
                value="yes"
                checked={temporary}
                onChange={(e) => setTemporary(e.target.checked)}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="temporary">
                This is a temporary member of staff (agency, bank or fixed term)
              </label>
            </div>
          </div>
        </div>
        <DateInput
          id="endDate"
          legend={temporary ? "When does their access end?" : "When does their access end? (optional)"}
          legendSize="s"
          hint="Their account is suspended on this date. For example, 31 3 2027"
          defaultValue={dateParts(v.endDate)}
          error={errors.endDate}
        />
        <DateInput
          id="igTrainingDate"
          legend="When did they last complete information governance training? (optional)"
          legendSize="s"
          hint="For example, 14 9 2026"
          defaultValue={dateParts(v.igTrainingDate)}
          error={errors.igTrainingDate}
        />
        {licenceNote && <p className="govuk-body-s">{licenceNote}</p>}
        <Button disabled={pending}>Send request</Button>
      </form>
    </>
  );
}
