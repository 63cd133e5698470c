import type { Metadata } from "next";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { publishContractAction } from "../actions";
import { PublishForm } from "./publish-form";

export const metadata: Metadata = { title: "Publish a contract" };

// GET /staff/contracts/new — the upload form for a contract PDF (organisations:edit).
export default async function PublishContractPage() {
  await viewPage("/staff/contracts/new", { access: { audience: "operator", kind: "organisations", level: "edit" } });
  return (
    <>
      <BackLink href="/staff/contracts" />
      <PageTitle caption="Back office">Publish a contract</PageTitle>
      <p className="govuk-body">The provider of the care package is asked to review and sign it online. The document&apos;s SHA-256 is recorded now and named in the signature.</p>
      <PublishForm action={publishContractAction} />
    </>
  );
}
