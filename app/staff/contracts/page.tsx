import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { staffContracts } from "@/lib/contracts/queries";
import { contractReference, contractStatusNames } from "@/lib/contracts/rules";
import { contractStatuses, type ContractStatus } from "@/lib/db/schema/contracts";
import { ButtonLink } from "../../_components/button";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { ContractStatusTag } from "../../portal/contracts/contract-summary";

export const metadata: Metadata = { title: "Contracts" };

// GET /staff/contracts — every published contract and its status (organisations:read, AUP-2.1c).
export default async function StaffContractsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const viewer = await viewPage("/staff/contracts", { access: { audience: "operator", kind: "organisations", level: "read" } });
  const requested = (await searchParams).status;
  const status = contractStatuses.includes(requested as ContractStatus) ? (requested as ContractStatus) : undefined;
  const { database } = await portal();
  const contracts = await staffContracts(database.db, viewer, status);
  return (
    <>
      <PageTitle caption="Back office">Contracts</PageTitle>
      {can(viewer, "organisations", "edit") && <ButtonLink href="/staff/contracts/new">Publish a contract</ButtonLink>}
      <nav aria-label="Filter contracts" className="govuk-!-margin-bottom-4">
        <ul className="govuk-list">
          {[undefined, ...contractStatuses].map((s) => (
            <li key={s ?? "all"} style={{ display: "inline-block", marginRight: "1em" }}>
              {s === status ? (
                <strong>{s ? contractStatusNames[s] : "All"}</strong>
              ) : (
                <Link className="govuk-link" href={s ? `/staff/contracts?status=${s}` : "/staff/contracts"}>
                  {s ? contractStatusNames[s] : "All"}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      {contracts.length === 0 ? (
        <p className="govuk-body">No contracts here.</p>
      ) : (
        <Table
          caption="Contracts"
          captionHidden
          rows={contracts}
          rowKey={(c) => c.id}
          columns={[
            {
              key: "ref",
              header: "Contract",
              label: "Contract",
              cell: (c) => (
                <Link className="govuk-link" href={`/staff/contracts/${c.id}`}>
                  {contractReference(c.number)}
                  <span className="govuk-visually-hidden">: {c.title}</span>
                </Link>
              ),
            },
            { key: "org", header: "Provider", label: "Provider", cell: (c) => c.organisationName },
            { key: "title", header: "Title", label: "Title", cell: (c) => c.title },
            { key: "published", header: "Published", label: "Published", cell: (c) => formatDateTime(c.publishedAt) },
            { key: "status", header: "Status", label: "Status", cell: (c) => <ContractStatusTag status={c.status} /> },
            { key: "signed", header: "Signed", label: "Signed", cell: (c) => (c.signedAt ? `${formatDateTime(c.signedAt)} by ${c.signedName}` : "") },
          ]}
        />
      )}
    </>
  );
}
