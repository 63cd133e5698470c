import type { Metadata } from "next";
import Link from "next/link";
import { organisationContracts } from "@/lib/contracts/queries";
import { contractReference } from "@/lib/contracts/rules";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { ContractStatusTag } from "./contract-summary";

export const metadata: Metadata = { title: "Contracts" };

// GET /portal/contracts — the organisation's contracts for packages of care and whether each is signed (contracts:read, AUP-2.1c).
export default async function ContractsPage() {
  const viewer = await viewPage("/portal/contracts", { access: { audience: "provider", kind: "contracts", level: "read" } });
  const { database } = await portal();
  const contracts = await organisationContracts(database.db, viewer);
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Contracts</PageTitle>
      <p className="govuk-body">Contracts the operator has published for the packages of care you provide. Review each one and sign it online.</p>
      {contracts.length === 0 ? (
        <p className="govuk-body">No contracts have been published to your organisation.</p>
      ) : (
        <Table
          caption="Your organisation's contracts"
          captionHidden
          rows={contracts}
          rowKey={(c) => c.id}
          columns={[
            {
              key: "ref",
              header: "Contract",
              label: "Contract",
              cell: (c) => (
                <Link className="govuk-link" href={`/portal/contracts/${c.id}`}>
                  {contractReference(c.number)}
                  <span className="govuk-visually-hidden">: {c.title}</span>
                </Link>
              ),
            },
            { key: "title", header: "Title", label: "Title", cell: (c) => c.title },
            { key: "package", header: "Care package", label: "Care package", cell: (c) => `${c.service}, ${c.individualName}` },
            { key: "published", header: "Published", label: "Published", cell: (c) => formatDateTime(c.publishedAt) },
            { key: "status", header: "Status", label: "Status", cell: (c) => <ContractStatusTag status={c.status} /> },
          ]}
        />
      )}
    </>
  );
}
