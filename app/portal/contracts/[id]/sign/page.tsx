import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { startContractSigning } from "@/lib/contracts/sign-contract";
import { BackLink } from "../../../../_components/back-link";
import { PageTitle } from "../../../../_components/page-title";
import { portal } from "../../../../_lib/portal";
import { viewPage } from "../../../../_lib/viewer";
import { ContractSummaryList } from "../../contract-summary";
import { loadContract } from "../../load-contract";
import { signContractAction } from "./actions";
import { problemMessage } from "./problem-messages";
import { SignForm } from "./sign-form";

export const metadata: Metadata = { title: "Sign a contract" };
export const dynamic = "force-dynamic";

// GET /portal/contracts/[id]/sign — the signing form with a fresh step-up challenge (contracts:edit, AUP-2.1c).
export default async function SignContractPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ problem?: string }> }) {
  const { id } = await params;
  const path = `/portal/contracts/${id}/sign`;
  const viewer = await viewPage(path, { access: { audience: "provider", kind: "contracts", level: "edit" } });
  const contract = await loadContract(viewer, id, path);
  if (contract.status !== "published") redirect(`/portal/contracts/${contract.id}`);
  const { database, config, clock } = await portal();
  // New positions on every visit, chosen and kept by the server (the browser cannot choose them).
  const { challengeId, positions } = await startContractSigning({ db: database.db, actor: { accountId: viewer.accountId, label: viewer.fullName, channel: "web" }, clock, config, viewer, contractId: contract.id });
  return (
    <>
      <BackLink href={`/portal/contracts/${contract.id}`} />
      <PageTitle caption={viewer.organisationName}>Sign {contract.title}</PageTitle>
      <ContractSummaryList contract={contract} />
      <p className="govuk-body">Your signature will record your name, the time, your network address and the SHA-256 above, which identifies exactly the document you sign. It cannot be changed afterwards.</p>
      <SignForm action={signContractAction} contractId={contract.id} challengeId={challengeId} positions={positions} problem={problemMessage((await searchParams).problem)} />
    </>
  );
}
