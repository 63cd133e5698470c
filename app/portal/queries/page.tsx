import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { organisationQueries } from "@/lib/queries/queries";
import { queryReference, queryStatusNames, queryTopicNames } from "@/lib/queries/rules";
import { ButtonLink } from "../../_components/button";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { Tag } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Queries" };

// GET /portal/queries — the organisation's queries to the operator and their replies (queries:read, AUP-2.1d).
export default async function QueriesPage() {
  const viewer = await viewPage("/portal/queries", { access: { audience: "provider", kind: "queries", level: "read" } });
  const { database } = await portal();
  const threads = await organisationQueries(database.db, viewer);
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Queries</PageTitle>
      <p className="govuk-body">Questions to the operator about people receiving care or about payments, and their replies.</p>
      {can(viewer, "queries", "edit") && <ButtonLink href="/portal/queries/new">Send a query</ButtonLink>}
      {threads.length === 0 ? (
        <p className="govuk-body">Your organisation has sent no queries yet.</p>
      ) : (
        <Table
          caption="Your organisation's queries"
          captionHidden
          rows={threads}
          rowKey={(t) => t.id}
          columns={[
            {
              key: "ref",
              header: "Query",
              label: "Query",
              cell: (t) => (
                <Link className="govuk-link" href={`/portal/queries/${t.id}`}>
                  {queryReference(t.number)}
                  <span className="govuk-visually-hidden">: {t.subject}</span>
                </Link>
              ),
            },
            { key: "subject", header: "Subject", label: "Subject", cell: (t) => t.subject },
            { key: "topic", header: "About", label: "About", cell: (t) => queryTopicNames[t.topic] },
            { key: "status", header: "Status", label: "Status", cell: (t) => <Tag colour={t.status === "awaiting_provider" ? "green" : t.status === "closed" ? "grey" : "blue"}>{queryStatusNames[t.status]}</Tag> },
            { key: "last", header: "Last message", label: "Last message", cell: (t) => formatDateTime(t.lastMessageAt) },
          ]}
        />
      )}
    </>
  );
}
