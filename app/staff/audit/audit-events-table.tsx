import Link from "next/link";
import type { AuditRow } from "@/lib/audit/search-audit";
import { Table, type TableColumn } from "../../_components/table";
import { channelNames, detailLines, formatEventTime } from "./audit-format";

/** A link to an account's audit trail (AUP-8.1). Not prefetched: opening it is itself logged. */
function AccountLink({ id, children }: { id: string; children: string }) {
  return (
    <Link className="govuk-link portal-break-anywhere" href={`/staff/audit/accounts/${id}`} prefetch={false}>
      {children}
    </Link>
  );
}

const columns: TableColumn<AuditRow>[] = [
  {
    key: "time",
    header: "Time",
    label: "Time",
    cell: (row) => <time dateTime={row.occurredAt.toISOString()}>{formatEventTime(row.occurredAt)}</time>,
  },
  { key: "action", header: "Action", label: "Action", cell: (row) => <code className="portal-break-anywhere">{row.action}</code> },
  {
    key: "actor",
    header: "By",
    label: "By",
    cell: (row) => (row.actorId ? <AccountLink id={row.actorId}>{row.actorLabel}</AccountLink> : row.actorLabel),
  },
  {
    key: "subject",
    header: "About",
    label: "About",
    cell: (row) =>
      row.subjectAccountId ? <AccountLink id={row.subjectAccountId}>{row.subjectName ?? row.subjectAccountId}</AccountLink> : null,
  },
  { key: "organisation", header: "Organisation", label: "Organisation", cell: (row) => row.organisationName ?? null },
  { key: "channel", header: "Channel", label: "Channel", cell: (row) => channelNames[row.channel] ?? row.channel },
  {
    key: "detail",
    header: "Detail",
    label: "Detail",
    cell: (row) => {
      const lines = detailLines(row.detail);
      if (lines.length === 0) return null;
      return (
        <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0 portal-break-anywhere">
          {lines.map((line, index) => (
            <li key={index} className="govuk-!-margin-bottom-0">
              {line}
            </li>
          ))}
        </ul>
      );
    },
  },
];

/** Audit events, newest first, stacking into "label: value" blocks on a phone. */
export function AuditEventsTable({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <div data-testid="audit-events">
      <Table caption={caption} captionHidden columns={columns} rows={rows} rowKey={(row) => String(row.seq)} />
    </div>
  );
}
