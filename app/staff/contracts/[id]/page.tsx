import type { Metadata } from "next";
import Link from "next/link";
import { NotificationBanner } from "../../../_components/notification-banner";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { ContractSummaryList } from "../../../portal/contracts/contract-summary";
import { loadContract } from "../../../portal/contracts/load-contract";

export const metadata: Metadata = { title: "Contract" };

// GET /staff/contracts/[id] — one contract's status and signature record (organisations:read).
export default async function StaffContractPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ published?: string }> }) {
  const { id } = await params;
  const path = `/staff/contracts/${id}`;
  const viewer = await viewPage(path, { access: { audience: "operator", kind: "organisations", level: "read" } });
  const contract = await loadContract(viewer, id, path);
  return (
    <>
      <BackLink href="/staff/contracts" />
      {(await searchParams).published && (
        <NotificationBanner type="success" heading="Contract published">
          <p className="govuk-body">{contract.organisationName} can now review and sign it.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={`Back office · ${contract.organisationName}`}>{contract.title}</PageTitle>
      <ContractSummaryList contract={contract} />
      <p className="govuk-body">
        <Link className="govuk-link" href={`/staff/contracts/${contract.id}/document`} prefetch={false}>
          Download the contract (PDF)
        </Link>
      </p>
    </>
  );
}
