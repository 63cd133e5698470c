import type { Metadata } from "next";
import Link from "next/link";
import { listInboundMessages, type InboundMessageItem } from "@/lib/intake/queries";
import { Pagination } from "../../_components/pagination";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Email intake" };

const actionLabels: Record<string, string> = {
  request_submitted: "Request made",
  note_added: "Note added",
  bulk_imported: "Spreadsheet imported",
  ignored: "Ignored (automatic mail)",
  bounce_recorded: "Bounce recorded",
  needs_attention: "Needs attention",
  refused: "Refused",
};

// GET /staff/intake[?page=2] — every message the email intake took from the operator mailbox, newest first.
export default async function IntakePage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const viewer = await viewPage("/staff/intake", { access: { audience: "operator", kind: "requests", level: "read" } });
  const { database } = await portal();
  const { items, total, page, pages } = await listInboundMessages({ db: database.db, viewer, page: Number((await searchParams).page ?? "1") || 1 });
  return (
    <>
      <PageTitle caption="Back office">Email intake</PageTitle>
      <p className="govuk-body">
        Every message the listener took from the operator mailbox, what it decided and why. Messages that need attention stay in the mailbox&rsquo;s
        Needs-attention folder with the original.
      </p>
      {items.length === 0 ? (
        <p className="govuk-body">No messages yet.</p>
      ) : (
        <Table<InboundMessageItem>
          caption={`${total} ${total === 1 ? "message" : "messages"}`}
          rowKey={(m) => m.id}
          rows={items}
          columns={[
            { key: "at", header: "Received", label: "Received", cell: (m) => formatDateTime(m.processedAt ?? m.receivedAt) },
            {
              key: "from",
              header: "From",
              label: "From",
              cell: (m) => (
                <>
                  {m.fromName ? `${m.fromName} <${m.from ?? "?"}>` : (m.from ?? "Unknown")}
                  <br />
                  <span className="govuk-body-s">{m.senderVerified ? "Sender authenticated" : `Sender NOT authenticated${m.authentication ? ` (${m.authentication})` : ""}`}</span>
                </>
              ),
            },
            { key: "subject", header: "Subject", label: "Subject", cell: (m) => m.subject ?? "" },
            {
              key: "outcome",
              header: "Outcome",
              label: "Outcome",
              cell: (m) => (
                <>
                  <strong>{m.classification ?? "unclassified"}</strong>: {actionLabels[m.action ?? ""] ?? m.action ?? "Being processed"}
                  {m.request && m.requestId && (
                    <>
                      {" "}
                      <Link className="govuk-link" href={`/staff/requests/${m.requestId}`}>
                        {m.request}
                      </Link>
                    </>
                  )}
                  <br />
                  <span className="govuk-body-s">{m.reason}</span>
                </>
              ),
            },
          ]}
        />
      )}
      <Pagination page={page} pageCount={pages} href={(n) => `/staff/intake?page=${n}`} label="Email intake pages" />
    </>
  );
}
