import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { ButtonLink } from "../../../_components/button";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { ContractSummaryList } from "../contract-summary";
import { loadContract } from "../load-contract";

export const metadata: Metadata = { title: "Contract" };

// GET /portal/contracts/[id] — one contract: review (download), sign when published (contracts:edit), the signature page once signed.
export default async function ContractPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ signed?: string }> }) {
  const { id } = await params;
  const path = `/portal/contracts/${id}`;
  const viewer = await viewPage(path, { access: { audience: "provider", kind: "contracts", level: "read" } });
  const contract = await loadContract(viewer, id, path);
  return (
    <>
      {(await searchParams).signed && (
        <NotificationBanner type="success" heading="Contract signed">
          <p className="govuk-body">Your signature is recorded. Download the signature page to keep or print.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={viewer.organisationName}>{contract.title}</PageTitle>
      <ContractSummaryList contract={contract} />
      <p className="govuk-body">
        <Link className="govuk-link" href={`/portal/contracts/${contract.id}/document`} prefetch={false}>
          Download the contract (PDF)
        </Link>
      </p>
      {contract.status === "published" && can(viewer, "contracts", "edit") && (
        <>
          <h2 className="govuk-heading-m">Sign this contract</h2>
          <p className="govuk-body">Read the whole contract first. You sign by typing your full name and confirming three digits of your security number.</p>
          <ButtonLink href={`/portal/contracts/${contract.id}/sign`}>Sign this contract</ButtonLink>
        </>
      )}
      {contract.status === "published" && !can(viewer, "contracts", "edit") && <p className="govuk-body">Someone in your organisation with permission to sign contracts needs to sign it.</p>}
      {contract.status === "signed" && (
        <p className="govuk-body">
          <Link className="govuk-link" href={`/portal/contracts/${contract.id}/signature-page`} prefetch={false}>
            Download the signature page (PDF)
          </Link>{" "}
          to keep or print.
        </p>
      )}
    </>
  );
}
