"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { Checkbox, DateInput, Radios, Textarea, TextInput, dateFieldId } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";
import { dateParts } from "../../../_lib/form-values";

type Action = (prev: FormState, data: FormData) => Promise<FormState>;

const ELIGIBILITY_DATES = ["icsApprovedOn", "dsptDate", "regionalApprovedOn", "ownDpiaCompletedOn"];

export interface EligibilityFormProps {
  action: Action;
  odsCode: string;
  region: string;
  dsptNeeded: boolean;
  dsptStatuses: readonly string[];
  /** The stored answers as form values ("yes"/"no", YYYY-MM-DD dates). */
  initial: Record<string, string>;
}

/** The eligibility checklist (UCP-ORG-1..3): saved part-way as often as needed. */
export function EligibilityForm({ action, odsCode, region, dsptNeeded, dsptStatuses, initial }: EligibilityFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? initial;
  const errors = state.fieldErrors;
  const yesNo = [
    { value: "yes", label: "Yes" },
    { value: "no", label: "No" },
  ];
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} fieldIds={Object.fromEntries(ELIGIBILITY_DATES.map((d) => [d, dateFieldId(d)]))} />
      <form action={formAction} noValidate data-testid="eligibility-form">
        <h3 className="govuk-heading-s">ODS code (UCP-ORG-1)</h3>
        <Checkbox
          id="odsVerified"
          label={`The ODS code ${odsCode} has been checked against the NHS Organisation Data Service and belongs to this organisation`}
          defaultChecked={v.odsVerified === "yes"}
          error={errors.odsVerified}
        />

        <h3 className="govuk-heading-s">Data protection impact assessment (UCP-ORG-1, UCP-ORG-2)</h3>
        <Radios id="dpiaListed" legend="Is the organisation listed in the DPIA?" legendSize="s" inline items={yesNo} defaultValue={v.dpiaListed} error={errors.dpiaListed} />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">If it is not listed: the ICS lead&apos;s approval</legend>
          <TextInput id="icsApprovedBy" label="Who approved (name and role)" defaultValue={v.icsApprovedBy} error={errors.icsApprovedBy} />
          <DateInput id="icsApprovedOn" legend="Date of the approval" hint="For example, 27 3 2026" defaultValue={dateParts(v.icsApprovedOn)} error={errors.icsApprovedOn} />
          <Textarea id="icsEvidence" label="Evidence of the approval" hint="What it is and where it is kept, for example an email filed in the onboarding folder." rows={3} defaultValue={v.icsEvidence} error={errors.icsEvidence} />
        </fieldset>

        <h3 className="govuk-heading-s">Data Security and Protection Toolkit (UCP-ORG-1)</h3>
        <Radios
          id="dsptStatus"
          legend="DSPT status"
          legendSize="s"
          hint={dsptNeeded ? "“Standards Met” is needed for social care, charities, domiciliary care and other non-NHS organisations." : "Not needed for an NHS organisation."}
          items={dsptStatuses.map((s) => ({ value: s, label: s }))}
          defaultValue={v.dsptStatus}
          error={errors.dsptStatus}
        />
        <DateInput id="dsptDate" legend="Date of the DSPT status" legendSize="s" hint="As the toolkit shows it. It must be less than 12 months old." defaultValue={dateParts(v.dsptDate)} error={errors.dsptDate} />

        <h3 className="govuk-heading-s">Region (UCP-ORG-3)</h3>
        <Radios id="inRegion" legend={`Is the organisation inside ${region}?`} legendSize="s" inline items={yesNo} defaultValue={v.inRegion} error={errors.inRegion} />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">If it is outside: the regional lead&apos;s approval, or its own DPIA</legend>
          <Radios
            id="regionalRoute"
            legend="How it may join"
            items={[
              { value: "regional_lead", label: "Approved by the regional lead" },
              { value: "own_dpia", label: "Covered by its own DPIA" },
            ]}
            defaultValue={v.regionalRoute}
            error={errors.regionalRoute}
          />
          <TextInput id="regionalApprovedBy" label="Regional lead who approved (name and role)" defaultValue={v.regionalApprovedBy} error={errors.regionalApprovedBy} />
          <DateInput id="regionalApprovedOn" legend="Date of the regional lead's approval" defaultValue={dateParts(v.regionalApprovedOn)} error={errors.regionalApprovedOn} />
          <Textarea id="regionalEvidence" label="Evidence of the regional lead's approval" rows={3} defaultValue={v.regionalEvidence} error={errors.regionalEvidence} />
          <TextInput id="ownDpiaReference" label="Reference of the organisation's own DPIA" defaultValue={v.ownDpiaReference} error={errors.ownDpiaReference} />
          <DateInput id="ownDpiaCompletedOn" legend="Date the organisation's DPIA was completed" defaultValue={dateParts(v.ownDpiaCompletedOn)} error={errors.ownDpiaCompletedOn} />
        </fieldset>
        <Button disabled={pending}>Save checklist</Button>
      </form>
    </>
  );
}

/** One button: activate the organisation (refused with the missing items until the checklist passes). */
export function ActivateForm({ action, name }: { action: Action; name: string }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={state.fieldErrors} />
      <form action={formAction}>
        <Button disabled={pending}>Activate {name}</Button>
      </form>
    </>
  );
}

/** UAP-A.1 / UAP-A.2: the named main contact, who becomes the Lead correspondent. */
export function InviteLeadForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate data-testid="invite-lead-form">
        <TextInput id="fullName" label="Full name" autoComplete="off" defaultValue={v.fullName} error={errors.fullName} />
        <TextInput
          id="email"
          label="Work email address"
          type="email"
          hint="Their own work address: not a shared mailbox such as office@ or info@."
          spellCheck={false}
          autoComplete="off"
          defaultValue={v.email}
          error={errors.email}
        />
        <Checkbox
          id="emailAttested"
          label="I confirm this address is used only by this person and is suitable for information about the direct care of the people the organisation supports"
          hint="Needed when the address is not at an accepted domain such as nhs.net."
          defaultChecked={v.emailAttested === "yes"}
          error={errors.emailAttested}
        />
        <TextInput id="jobTitle" label="Job title" defaultValue={v.jobTitle} error={errors.jobTitle} />
        <Button disabled={pending}>Invite Lead correspondent</Button>
      </form>
    </>
  );
}

/** CC-2a: the licence allocation for this year or next. */
export function AllocationForm({ action, year, allocation }: { action: Action; year: number; allocation: number }) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} />
      <form action={formAction} noValidate data-testid="allocation-form">
        <Radios
          id="year"
          legend="Year"
          legendSize="s"
          inline
          items={[
            { value: String(year), label: String(year) },
            { value: String(year + 1), label: String(year + 1) },
          ]}
          defaultValue={v.year ?? String(year)}
          error={errors.year}
        />
        <TextInput id="allocation" label="Number of licences" width="5" inputMode="numeric" defaultValue={v.allocation ?? String(allocation)} error={errors.allocation} />
        <Textarea id="reason" label="Reason for the change (optional)" rows={2} defaultValue={v.reason} error={errors.reason} />
        <Button variant="secondary" disabled={pending}>
          Save allocation
        </Button>
      </form>
    </>
  );
}
