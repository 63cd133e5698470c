import type { Metadata } from "next";
import Link from "next/link";
import { queryStatuses } from "@/lib/db/schema/queries";
import { staffQueryQueue } from "@/lib/queries/queries";
import { queryReference, queryStatusNames, queryTopicNames } from "@/lib/queries/rules";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { Tag } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Queries" };

const filters = ["open", ...queryStatuses] as const;
type Filter = (typeof filters)[number];
const filterNames: Record<Filter, string> = { open: "Open", ...queryStatusNames };

// GET /staff/queries — the queue of providers' queries and messages to the operator (requests:read).
export default async function StaffQueriesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const viewer = await viewPage("/staff/queries", { access: { audience: "operator", kind: "requests", level: "read" } });
  const requested = (await searchParams).status;
  const status: Filter = filters.includes(requested as Filter) ? (requested as Filter) : "open";
  const { database } = await portal();
  const threads = await staffQueryQueue(database.db, viewer, { status });
  return (
    <>
      <PageTitle caption="Back office">Queries</PageTitle>
      <nav aria-label="Filter queries" className="govuk-!-margin-bottom-4">
        <ul className="govuk-list portal-inline-list">
          {filters.map((f) => (
            <li key={f} style={{ display: "inline-block", marginRight: "1em" }}>
              {f === status ? (
                <strong>{filterNames[f]}</strong>
              ) : (
                <Link className="govuk-link" href={`/staff/queries?status=${f}`}>
                  {filterNames[f]}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      {threads.length === 0 ? (
        <p className="govuk-body">No queries here.</p>
      ) : (
        <Table
          caption={`${filterNames[status]} queries`}
          rows={threads}
          rowKey={(t) => t.id}
          columns={[
            {
              key: "ref",
              header: "Query",
              label: "Query",
              cell: (t) => (
                <Link className="govuk-link" href={`/staff/queries/${t.id}`}>
                  {queryReference(t.number)}
                  <span className="govuk-visually-hidden">: {t.subject}</span>
                </Link>
              ),
            },
            { key: "org", header: "Organisation", label: "Organisation", cell: (t) => t.organisationName },
            { key: "subject", header: "Subject", label: "Subject", cell: (t) => t.subject },
            { key: "topic", header: "About", label: "About", cell: (t) => queryTopicNames[t.topic] },
            { key: "status", header: "Status", label: "Status", cell: (t) => <Tag colour={t.status === "awaiting_operator" ? "blue" : "grey"}>{queryStatusNames[t.status]}</Tag> },
            { key: "last", header: "Last message", label: "Last message", cell: (t) => formatDateTime(t.lastMessageAt) },
          ]}
        />
      )}
    </>
  );
}
