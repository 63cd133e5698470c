"use client";

import { useActionState } from "react";
import { feedKindNames } from "@/lib/feeds/kinds";
import { ErrorSummary } from "../../_components/error-summary";
import { ErrorMessage } from "../../_components/form-fields";
import { Tag, type TagColour } from "../../_components/tag";
import { emptyFeedUploadState, type FeedUploadState } from "./state";

const kindNames: Record<(typeof feedKindNames)[number], string> = {
  individuals: "Individuals (people receiving care)",
  care_packages: "Care packages",
  purchase_orders: "Purchase orders",
  purchase_order_lines: "Purchase order line items",
  payments: "Scheduled payments",
  remittances: "Remittance advices",
  remittance_lines: "Remittance advice lines",
};
const statusTag: Record<string, { text: string; colour: TagColour }> = {
  created: { text: "Created", colour: "green" },
  updated: { text: "Updated", colour: "blue" },
  unchanged: { text: "Unchanged", colour: "grey" },
  error: { text: "Error", colour: "red" },
};

/** The staff upload of a feed file: kind, file, check only; then the report on every row. Works without JavaScript. */
export function FeedUpload({ action }: { action: (prev: FeedUploadState, data: FormData) => Promise<FeedUploadState> }) {
  const [state, formAction, pending] = useActionState(action, emptyFeedUploadState);
  const { report, fieldErrors } = state;
  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={fieldErrors} />
      {report && (
        <section aria-labelledby="report-heading" data-testid="feed-report">
          <h2 className="govuk-heading-m" id="report-heading">
            {report.dryRun ? "Checked, nothing changed" : "Imported"}: {report.fileName}
          </h2>
          <p className="govuk-body" data-testid="feed-summary">
            {report.summary.rows} rows: {report.summary.created} created, {report.summary.updated} updated, {report.summary.unchanged} unchanged,{" "}
            {report.summary.error} with errors.
          </p>
          {report.ignoredColumns.length > 0 && <p className="govuk-body">Columns ignored: {report.ignoredColumns.join(", ")}</p>}
          <table className="govuk-table portal-table--stack">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Every row of the file</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Row</th>
                <th scope="col" className="govuk-table__header">Source ID</th>
                <th scope="col" className="govuk-table__header">Result</th>
                <th scope="col" className="govuk-table__header">Problems</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {report.rows.map((r) => (
                <tr key={r.row} className="govuk-table__row">
                  <td className="govuk-table__cell" data-label="Row">{r.row}</td>
                  <td className="govuk-table__cell" data-label="Source ID">{r.sourceId ?? "—"}</td>
                  <td className="govuk-table__cell" data-label="Result">
                    <Tag colour={statusTag[r.status]?.colour}>{statusTag[r.status]?.text ?? r.status}</Tag>
                  </td>
                  <td className="govuk-table__cell" data-label="Problems">
                    {r.errors.length === 0 ? (
                      "None"
                    ) : (
                      <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
                        {r.errors.map((e, i) => (
                          <li key={i}>
                            {e.column ? `${e.column}: ` : ""}
                            {e.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <form action={formAction} noValidate encType="multipart/form-data">
        <div className={fieldErrors.kind ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <label className="govuk-label govuk-label--s" htmlFor="kind">
            What the file holds
          </label>
          {fieldErrors.kind && <ErrorMessage id="kind-error">{fieldErrors.kind}</ErrorMessage>}
          <select className="govuk-select" id="kind" name="kind" defaultValue="" aria-describedby={fieldErrors.kind ? "kind-error" : undefined}>
            <option value="" disabled>
              Select
            </option>
            {feedKindNames.map((k) => (
              <option key={k} value={k}>
                {kindNames[k]}
              </option>
            ))}
          </select>
        </div>
        <div className={fieldErrors.file ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
          <label className="govuk-label govuk-label--s" htmlFor="file">
            Feed file
          </label>
          <div id="file-hint" className="govuk-hint">
            CSV with a header row, or JSON (an array of records). Rows are matched on their Source ID.
          </div>
          {fieldErrors.file && <ErrorMessage id="file-error">{fieldErrors.file}</ErrorMessage>}
          <input className="govuk-file-upload" id="file" name="file" type="file" accept=".csv,.json,text/csv,application/json" aria-describedby={fieldErrors.file ? "file-hint file-error" : "file-hint"} />
        </div>
        <div className="govuk-form-group">
          <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id="dryRun" name="dryRun" type="checkbox" value="yes" />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="dryRun">
                Check only: report on every row and change nothing
              </label>
            </div>
          </div>
        </div>
        <button type="submit" className="govuk-button" data-module="govuk-button" disabled={pending} aria-disabled={pending}>
          {pending ? "Importing…" : "Import the file"}
        </button>
      </form>
    </>
  );
}
