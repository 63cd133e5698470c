"use client";

import { useActionState, useState, type FormEvent } from "react";
import type { RowReport } from "@/lib/imports/check-import";
import { Button, ButtonLink } from "../../../_components/button";
import { ErrorSummary } from "../../../_components/error-summary";
import { ErrorMessage } from "../../../_components/form-fields";
import { Table } from "../../../_components/table";
import { Tag } from "../../../_components/tag";
import { emptyBulkState, WEB_MAX_BYTES, WEB_MAX_ROWS, type BulkState } from "./state";

export interface BulkUploadProps {
  action: (prev: BulkState, data: FormData) => Promise<BulkState>;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/**
 * UCP-BULK-1: upload a file, read the report on every row, then confirm to send the valid rows
 * as one submission. Works without JavaScript (the server does everything); with it, a file
 * too large is caught before it is sent, and the button says the file is being checked while
 * the server reads it — a 1,000-row file takes a few seconds.
 */
export function BulkUpload({ action }: BulkUploadProps) {
  const [state, formAction, pending] = useActionState(action, emptyBulkState);
  const [intent, setIntent] = useState<"check" | "confirm">("check");
  const [localError, setLocalError] = useState<string | null>(null);
  const report = state.report;
  const fileError = localError ?? state.fieldErrors.file;
  const errors: Record<string, string> = fileError ? { file: fileError } : {};

  function checkSize(event: FormEvent<HTMLFormElement>) {
    const input = event.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (file && file.size > WEB_MAX_BYTES) {
      event.preventDefault();
      setLocalError(`The selected file must be smaller than ${Math.round(WEB_MAX_BYTES / 1024)} KB. Split the list into smaller files`);
      return;
    }
    setLocalError(null);
    setIntent("check");
  }

  return (
    <>
      <ErrorSummary message={state.message} fieldErrors={report ? {} : errors} />
      {report ? (
        <Report report={report} formAction={formAction} pending={pending && intent === "confirm"} onConfirm={() => setIntent("confirm")} />
      ) : (
        <form action={formAction} onSubmit={checkSize} noValidate>
          <input type="hidden" name="intent" value="check" />
          <div className={fileError ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
            <label className="govuk-label govuk-label--m" htmlFor="file">
              Upload your file
            </label>
            <div id="file-hint" className="govuk-hint">
              A CSV or Excel workbook (.xlsx), with a header row and one person a row: up to {WEB_MAX_ROWS.toLocaleString("en-GB")} people and {Math.round(WEB_MAX_BYTES / 1024)} KB.
            </div>
            {fileError && <ErrorMessage id="file-error">{fileError}</ErrorMessage>}
            <input
              className={fileError ? "govuk-file-upload govuk-file-upload--error" : "govuk-file-upload"}
              id="file"
              name="file"
              type="file"
              accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={`file-hint${fileError ? " file-error" : ""}`}
            />
          </div>
          <Button disabled={pending} aria-disabled={pending}>
            {pending ? "Checking the file…" : "Check the file"}
          </Button>
          <p className="govuk-body" role="status" aria-live="polite" data-testid="bulk-progress">
            {pending ? "Checking every row of your file. A large file takes a few seconds: please wait." : ""}
          </p>
        </form>
      )}
    </>
  );
}

function Report({ report, formAction, pending, onConfirm }: { report: NonNullable<BulkState["report"]>; formAction: (data: FormData) => void; pending: boolean; onConfirm: () => void }) {
  const { summary, licence } = report;
  return (
    <div data-testid="bulk-report">
      <h2 className="govuk-heading-m">Check the report</h2>
      <p className="govuk-body">
        <strong>{report.fileName}</strong> has {plural(summary.rows, "person", "people")}: {plural(summary.ok, "can be requested", "can be requested")}
        {summary.errors > 0 && <>, {plural(summary.errors, "has a problem", "have problems")}</>}.
      </p>
      <p className="govuk-body">
        {licence.used.toLocaleString("en-GB")} of your {licence.allocation.toLocaleString("en-GB")} licences for {licence.year} were in use or requested before this file.
      </p>
      {report.ignoredColumns.length > 0 && <p className="govuk-body">These columns were not used: {report.ignoredColumns.join(", ")}.</p>}
      {summary.errors > 0 && (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Rows with problems will not be sent. Correct them in your file and upload it again{summary.ok > 0 ? ", or send the other rows now and the corrected ones later" : ""}.
          </strong>
        </div>
      )}
      <Table<RowReport>
        caption={`Report on ${report.fileName}`}
        captionHidden
        rows={report.rows}
        rowKey={(r) => String(r.row)}
        columns={[
          { key: "row", header: "Row", label: "Row", cell: (r) => r.row, numeric: true },
          { key: "person", header: "Person", label: "Person", cell: (r) => <PersonCell report={r} /> },
          { key: "status", header: "Status", label: "Status", cell: (r) => (r.status === "ok" ? <Tag colour="green">Ready</Tag> : <Tag colour="red">Problem</Tag>) },
          { key: "details", header: "Details", label: "Details", cell: (r) => <Problems report={r} /> },
        ]}
      />
      {summary.ok > 0 && report.sealed ? (
        <form action={formAction} onSubmit={onConfirm}>
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="sealed" value={report.sealed} />
          <div className="govuk-button-group">
            <Button disabled={pending} aria-disabled={pending}>
              {pending ? "Sending…" : `Send ${plural(summary.ok, "request", "requests")}`}
            </Button>
            <ButtonLink href="/portal/requests/bulk" variant="secondary">
              Upload a different file
            </ButtonLink>
          </div>
          <p className="govuk-body" role="status" aria-live="polite">
            {pending ? "Sending your requests." : ""}
          </p>
        </form>
      ) : (
        <ButtonLink href="/portal/requests/bulk">Upload a corrected file</ButtonLink>
      )}
    </div>
  );
}

function PersonCell({ report }: { report: RowReport }) {
  return (
    <>
      {report.fullName || <span className="govuk-hint">No name</span>}
      <br />
      <span className="govuk-body-s">{report.email ?? "No email address"}</span>
    </>
  );
}

function Problems({ report }: { report: RowReport }) {
  if (report.errors.length === 0) return <>{report.roles.length ? `Security role: ${report.roles.join(", ")}` : null}</>;
  return (
    <ul className="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
      {report.errors.map((e, i) => (
        <li key={i}>
          {e.column ? <strong>{e.column}: </strong> : null}
          {e.message}
        </li>
      ))}
    </ul>
  );
}
