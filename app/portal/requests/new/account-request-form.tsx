"use client";

import { useActionState } from "react";
import { Button } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { Checkboxes, DateInput, Radios, Textarea, TextInput, dateFieldId } from "../../../_components/form-fields";
import { emptyFormState, type FormState } from "../../../_lib/form-state";
import { dateParts } from "../../../_lib/form-values";

export type AccountRequestType = "role_change" | "suspension" | "reinstatement" | "end_date_change";

export interface AccountRequestFormProps {
  action: (prev: FormState, data: FormData) => Promise<FormState>;
  type: AccountRequestType;
  subjectAccountId: string;
  roles: { key: string; name: string; description: string; clinical: boolean }[];
  currentRoleKeys: string[];
  suspensionReasons: { value: string; label: string }[];
}

/** A request about one existing account: a role change, a suspension, a reinstatement or a new end date. */
export function AccountRequestForm({ action, type, subjectAccountId, roles, currentRoleKeys, suspensionReasons }: AccountRequestFormProps) {
  const [state, formAction, pending] = useActionState(action, emptyFormState);
  const v = state.values ?? {};
  const errors = state.fieldErrors;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={errors} fieldIds={{ endDate: dateFieldId("endDate"), reason: type === "suspension" ? "reason" : "reason" }} />
      <form action={formAction} noValidate>
        <input type="hidden" name="type" value={type} />
        <input type="hidden" name="subjectAccountId" value={subjectAccountId} />
        {type === "role_change" && (
          <>
            <Checkboxes
              id="roleKeys"
              legend="New security role"
              legendSize="s"
              hint="The roles the person should have from now on. Their current roles are ticked."
              items={roles.map((r) => ({ value: r.key, label: `${r.name}${r.clinical ? " (clinical)" : ""}`, hint: r.description }))}
              defaultValues={v.roleKeys !== undefined ? v.roleKeys.split(",").filter(Boolean) : currentRoleKeys}
              error={errors.roleKeys}
            />
            <TextInput id="registrationBody" label="Professional body (for a clinical role)" defaultValue={v.registrationBody} error={errors.registrationBody} />
            <TextInput id="registrationNumber" label="Registration number (for a clinical role)" width="10" defaultValue={v.registrationNumber} error={errors.registrationNumber} />
            <Textarea id="reason" label="Why is the change needed? (optional)" rows={3} defaultValue={v.reason} error={errors.reason} />
          </>
        )}
        {type === "suspension" && (
          <>
            <Radios
              id="reason"
              legend="Why should the account be suspended?"
              legendSize="s"
              hint="Leavers are dealt with first."
              items={suspensionReasons.map((r) => ({ value: r.value, label: r.label }))}
              defaultValue={v.reason}
              error={errors.reason}
            />
            <Textarea id="reasonDetail" label="More detail (needed for another reason)" rows={3} defaultValue={v.reasonDetail} error={errors.reasonDetail} />
          </>
        )}
        {type === "reinstatement" && (
          <>
            <Textarea id="reason" label="Why should the account be reinstated?" rows={3} defaultValue={v.reason} error={errors.reason} />
            <DateInput id="endDate" legend="New end date (optional)" legendSize="s" hint="For example, 31 3 2027" defaultValue={dateParts(v.endDate)} error={errors.endDate} />
          </>
        )}
        {type === "end_date_change" && (
          <>
            <DateInput id="endDate" legend="New end date" legendSize="s" hint="The account is suspended on this date. For example, 31 3 2027" defaultValue={dateParts(v.endDate)} error={errors.endDate} />
            <Textarea id="reason" label="Why is the change needed? (optional)" rows={3} defaultValue={v.reason} error={errors.reason} />
          </>
        )}
        <Button disabled={pending} variant={type === "suspension" ? "warning" : "primary"}>
          Send request
        </Button>
      </form>
    </>
  );
}
