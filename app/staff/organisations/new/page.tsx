import type { Metadata } from "next";
import { organisationTypes } from "@/lib/db/schema/organisations";
import { dsptRequired } from "@/lib/organisations/eligibility";
import { organisationTypeLabels } from "@/lib/organisations/rules";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { addOrganisation } from "../actions";
import { NewOrganisationForm } from "./new-organisation-form";

export const metadata: Metadata = { title: "Add an organisation" };

// GET /staff/organisations/new — staff add a provider organisation from its ODS code (UAP-A.1, UCP-ORG-1).
export default async function NewOrganisationPage() {
  await viewPage("/staff/organisations/new", { access: { audience: "operator", kind: "organisations", level: "edit" } });
  const types = organisationTypes
    .filter((t) => t !== "local_authority")
    .map((t) => ({ value: t, label: organisationTypeLabels[t] ?? t, hint: dsptRequired(t) ? "Needs DSPT “Standards Met”." : undefined }));
  return (
    <>
      <BackLink href="/staff/organisations">Organisations</BackLink>
      <PageTitle caption="Organisations">Add an organisation</PageTitle>
      <p className="govuk-body">
        The organisation starts as onboarding. Next you work through its eligibility checklist; once it passes you can activate it and invite its
        Lead correspondent.
      </p>
      <NewOrganisationForm action={addOrganisation} types={types} />
    </>
  );
}
