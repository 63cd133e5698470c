import type { InputHTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";

/*
 * GOV.UK form fields, server-rendered. Each takes an `id` (also the field's `name` unless
 * given one), a label or legend, an optional hint and an optional error message. The error
 * summary links to `#<id>`: for radios and checkboxes that is the first option, for a date
 * the day input (`dateFieldId(id)`).
 */

interface FieldBase {
  id: string;
  name?: string;
  hint?: ReactNode;
  /** What is wrong, shown above the field and named in the error summary. */
  error?: string;
}

type LabelSize = "s" | "m" | "l" | "xl";

/** The ids a field's aria-describedby lists: its hint and its error, when it has them. */
function describedBy(id: string, hint: unknown, error: unknown, extra?: string): string | undefined {
  const ids = [extra, hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function Hint({ id, children, className }: { id: string; children: ReactNode; className?: string }) {
  return (
    <div id={id} className={cx("govuk-hint", className)}>
      {children}
    </div>
  );
}

/** GOV.UK error message: "Error:" is read out before the text but not shown. */
export function ErrorMessage({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {children}
    </p>
  );
}

function Label({ htmlFor, size, isPageHeading, children }: { htmlFor: string; size?: LabelSize; isPageHeading?: boolean; children: ReactNode }) {
  const label = (
    <label className={cx("govuk-label", size && `govuk-label--${size}`)} htmlFor={htmlFor}>
      {children}
    </label>
  );
  return isPageHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label;
}

function Legend({ size, isPageHeading, children }: { size?: LabelSize; isPageHeading?: boolean; children: ReactNode }) {
  return (
    <legend className={cx("govuk-fieldset__legend", size && `govuk-fieldset__legend--${size}`)}>
      {isPageHeading ? <h1 className="govuk-fieldset__heading">{children}</h1> : children}
    </legend>
  );
}

// ---------------------------------------------------------------------------------------

type InputWidth = "20" | "10" | "5" | "4" | "3" | "2" | "full" | "three-quarters" | "two-thirds" | "one-half" | "one-third" | "one-quarter";

export interface TextInputProps extends FieldBase {
  label: ReactNode;
  labelSize?: LabelSize;
  /** The label is the page's h1 (a one-question page). */
  isPageHeading?: boolean;
  type?: "text" | "email" | "tel" | "password" | "number" | "url" | "search";
  defaultValue?: string;
  autoComplete?: string;
  inputMode?: InputHTMLAttributes<HTMLInputElement>["inputMode"];
  spellCheck?: boolean;
  width?: InputWidth;
  /** Fixed-width digits, for codes and numbers. */
  code?: boolean;
}

function widthClass(width?: InputWidth): string | undefined {
  if (!width) return undefined;
  return /^\d+$/.test(width) ? `govuk-input--width-${width}` : `govuk-!-width-${width}`;
}

/** GOV.UK text input. */
export function TextInput({ id, name = id, label, labelSize, isPageHeading, hint, error, type = "text", defaultValue, autoComplete, inputMode, spellCheck, width, code }: TextInputProps) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <Label htmlFor={id} size={labelSize} isPageHeading={isPageHeading}>
        {label}
      </Label>
      {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <input
        className={cx("govuk-input", widthClass(width), code && "govuk-input--extra-letter-spacing", error && "govuk-input--error")}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

export interface TextareaProps extends FieldBase {
  label: ReactNode;
  labelSize?: LabelSize;
  isPageHeading?: boolean;
  defaultValue?: string;
  rows?: number;
  spellCheck?: boolean;
}

/** GOV.UK textarea. */
export function Textarea({ id, name = id, label, labelSize, isPageHeading, hint, error, defaultValue, rows = 5, spellCheck }: TextareaProps) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <Label htmlFor={id} size={labelSize} isPageHeading={isPageHeading}>
        {label}
      </Label>
      {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <textarea
        className={cx("govuk-textarea", error && "govuk-textarea--error")}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        spellCheck={spellCheck}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------------------

export interface ChoiceItem {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  disabled?: boolean;
}

interface ChoiceGroupProps extends FieldBase {
  legend: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  items: ChoiceItem[];
  small?: boolean;
}

/** The id of the n-th option (0-based), as GOV.UK numbers them: id, id-2, id-3 … */
function optionId(id: string, index: number): string {
  return index === 0 ? id : `${id}-${index + 1}`;
}

export interface RadiosProps extends ChoiceGroupProps {
  defaultValue?: string;
  inline?: boolean;
}

/** GOV.UK radios: one choice from a few, in a fieldset with a legend. */
export function Radios({ id, name = id, legend, legendSize, isPageHeading, hint, error, items, defaultValue, inline, small }: RadiosProps) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <Legend size={legendSize} isPageHeading={isPageHeading}>
          {legend}
        </Legend>
        {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
        {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
        <div className={cx("govuk-radios", inline && "govuk-radios--inline", small && "govuk-radios--small")} data-module="govuk-radios">
          {items.map((item, index) => {
            const itemId = optionId(id, index);
            return (
              <div key={item.value} className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={itemId}
                  name={name}
                  type="radio"
                  value={item.value}
                  defaultChecked={defaultValue === item.value}
                  disabled={item.disabled}
                  aria-describedby={item.hint ? `${itemId}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={itemId}>
                  {item.label}
                </label>
                {item.hint && (
                  <Hint id={`${itemId}-item-hint`} className="govuk-radios__hint">
                    {item.hint}
                  </Hint>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface CheckboxesProps extends ChoiceGroupProps {
  defaultValues?: string[];
}

/** GOV.UK checkboxes: any number of choices, in a fieldset with a legend. */
export function Checkboxes({ id, name = id, legend, legendSize, isPageHeading, hint, error, items, defaultValues = [], small }: CheckboxesProps) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <Legend size={legendSize} isPageHeading={isPageHeading}>
          {legend}
        </Legend>
        {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
        {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
        <div className={cx("govuk-checkboxes", small && "govuk-checkboxes--small")} data-module="govuk-checkboxes">
          {items.map((item, index) => {
            const itemId = optionId(id, index);
            return (
              <div key={item.value} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={itemId}
                  name={name}
                  type="checkbox"
                  value={item.value}
                  defaultChecked={defaultValues.includes(item.value)}
                  disabled={item.disabled}
                  aria-describedby={item.hint ? `${itemId}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={itemId}>
                  {item.label}
                </label>
                {item.hint && (
                  <Hint id={`${itemId}-item-hint`} className="govuk-checkboxes__hint">
                    {item.hint}
                  </Hint>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface CheckboxProps extends FieldBase {
  /** The checkbox's own label, e.g. "I accept the Acceptable Use Policy". */
  label: ReactNode;
  value?: string;
  defaultChecked?: boolean;
}

/** A single GOV.UK checkbox with no fieldset: a confirmation such as accepting a policy. */
export function Checkbox({ id, name = id, label, hint, error, value = "yes", defaultChecked }: CheckboxProps) {
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <div className="govuk-checkboxes" data-module="govuk-checkboxes">
        <div className="govuk-checkboxes__item">
          <input
            className="govuk-checkboxes__input"
            id={id}
            name={name}
            type="checkbox"
            value={value}
            defaultChecked={defaultChecked}
            aria-describedby={describedBy(id, hint, error)}
          />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
            {label}
          </label>
          {hint && (
            <Hint id={`${id}-hint`} className="govuk-checkboxes__hint">
              {hint}
            </Hint>
          )}
        </div>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------

export type DatePart = "day" | "month" | "year";

/** The id of one of a date input's boxes: the error summary should link to the day's. */
export function dateFieldId(id: string, part: DatePart = "day"): string {
  return `${id}-${part}`;
}

export interface DateInputProps extends FieldBase {
  legend: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  /** Posted as `<name>-day`, `<name>-month`, `<name>-year`. */
  defaultValue?: Partial<Record<DatePart, string>>;
  /** Which boxes the error is about; all three when left out. */
  errorParts?: DatePart[];
}

const dateParts: { part: DatePart; label: string; width: string }[] = [
  { part: "day", label: "Day", width: "govuk-input--width-2" },
  { part: "month", label: "Month", width: "govuk-input--width-2" },
  { part: "year", label: "Year", width: "govuk-input--width-4" },
];

/** GOV.UK date input: three boxes in a fieldset (role="group"), e.g. for an end date. */
export function DateInput({ id, name = id, legend, legendSize, isPageHeading, hint, error, defaultValue = {}, errorParts }: DateInputProps) {
  const partHasError = (part: DatePart) => Boolean(error) && (!errorParts || errorParts.includes(part));
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <Legend size={legendSize} isPageHeading={isPageHeading}>
          {legend}
        </Legend>
        {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
        {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
        <div className="govuk-date-input" id={id}>
          {dateParts.map(({ part, label, width }) => (
            <div key={part} className="govuk-date-input__item">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={dateFieldId(id, part)}>
                  {label}
                </label>
                <input
                  className={cx("govuk-input govuk-date-input__input", width, partHasError(part) && "govuk-input--error")}
                  id={dateFieldId(id, part)}
                  name={`${name}-${part}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={defaultValue[part]}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
