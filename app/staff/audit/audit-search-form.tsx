import Link from "next/link";
import { channels } from "@/lib/db/schema/requests";
import type { AuditFormValues } from "@/lib/audit/search-filters";
import { Button } from "../../_components/button";
import { cx } from "../../_components/cx";
import { DateInput, ErrorMessage, TextInput } from "../../_components/form-fields";
import { channelNames } from "./audit-format";

interface SelectProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue: string;
  options: { value: string; text: string }[];
}

/** GOV.UK select (a short list: channels, organisations). */
function Select({ id, label, hint, error, defaultValue, options }: SelectProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} className="govuk-hint">
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <select className={cx("govuk-select", error && "govuk-select--error")} id={id} name={id} defaultValue={defaultValue} aria-describedby={describedBy}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface AuditSearchFormProps {
  values: AuditFormValues;
  fieldErrors: Record<string, string>;
  organisations: { id: string; name: string; odsCode: string }[];
}

/** The audit search (UAP-A.9): a GET form, so a search is a link that can be shared, paged, exported and printed. */
export function AuditSearchForm({ values, fieldErrors, organisations }: AuditSearchFormProps) {
  return (
    <form method="get" action="/staff/audit" noValidate data-testid="audit-search">
      <TextInput
        id="person"
        label="Person"
        hint="An account ID, an email address or part of a name"
        defaultValue={values.person}
        error={fieldErrors.person}
        spellCheck={false}
        width="two-thirds"
      />
      <Select
        id="organisation"
        label="Organisation"
        error={fieldErrors.organisation}
        defaultValue={values.organisation}
        options={[{ value: "", text: "All organisations" }, ...organisations.map((o) => ({ value: o.id, text: `${o.name} (${o.odsCode})` }))]}
      />
      <TextInput
        id="action"
        label="Action"
        hint="For example, account.suspended — or request. for every request action"
        defaultValue={values.action}
        error={fieldErrors.action}
        spellCheck={false}
        width="20"
      />
      <Select
        id="channel"
        label="Channel"
        error={fieldErrors.channel}
        defaultValue={values.channel}
        options={[{ value: "", text: "Any channel" }, ...channels.map((c) => ({ value: c, text: channelNames[c] ?? c }))]}
      />
      <DateInput id="from" legend="Date from" legendSize="s" hint="For example, 27 3 2025" defaultValue={values.from} error={fieldErrors.from} />
      <DateInput id="to" legend="Date to" legendSize="s" hint="For example, 31 3 2025. Days are UK days." defaultValue={values.to} error={fieldErrors.to} />
      <div className="govuk-button-group">
        <Button>Search</Button>
        <Link className="govuk-link" href="/staff/audit" prefetch={false}>
          Clear filters
        </Link>
      </div>
    </form>
  );
}
