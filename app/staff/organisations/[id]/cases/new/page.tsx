import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { getOrganisationDetail } from "@/lib/organisations/queries";
import { canOpenCase, caseKindLabels } from "@/lib/organisations/rules";
import { NEW_ACCOUNT_ROWS, notificationMethodLabels, notificationMethods } from "@/lib/organisations/schema";
import { serviceToday } from "@/lib/organisations/staff";
import { organisationCaseKinds } from "@/lib/db/schema/organisation-cases";
import { BackLink } from "../../../../../_components/back-link";
import { PageTitle } from "../../../../../_components/page-title";
import { portal } from "../../../../../_lib/portal";
import { viewPage } from "../../../../../_lib/viewer";
import { openCase } from "../actions";
import { OpenCaseForm } from "./open-case-form";

export const metadata: Metadata = { title: "Open a case" };

// GET /staff/organisations/:id/cases/new — open a closure, administration or change-of-ownership case (UAP-A.7, UAP-5.2, UAP-5.3).
export default async function NewCasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: rawId } = await params;
  await viewPage(`/staff/organisations/${rawId}/cases/new`, { access: { audience: "operator", kind: "organisations", level: "edit" } });
  const id = z.uuid().safeParse(rawId);
  if (!id.success) notFound();
  const { database, config, clock } = await portal();
  let detail;
  try {
    detail = await getOrganisationDetail({ db: database.db, config, clock, organisationId: id.data });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const { organisation } = detail;
  const allowed = canOpenCase(organisation.status);
  const open = detail.cases.find((c) => c.status === "open");
  const back = `/staff/organisations/${organisation.id}`;
  return (
    <>
      <BackLink href={back}>{organisation.name}</BackLink>
      <PageTitle caption={`${organisation.name} · ${organisation.odsCode}`}>Open a case</PageTitle>
      {!allowed.ok ? (
        <p className="govuk-body">{allowed.reason}.</p>
      ) : open ? (
        <p className="govuk-body">
          {open.reference} is already open for {organisation.name}:{" "}
          <a className="govuk-link" href={`${back}/cases/${open.id}`}>
            record this change on it
          </a>
          .
        </p>
      ) : (
        <>
          <p className="govuk-body">
            Closures, administrations and changes of ownership are handled as one case. It can close only once the registered manager or the
            appointed administrator has confirmed the change in writing.
          </p>
          <OpenCaseForm
            action={openCase.bind(null, organisation.id)}
            organisationName={organisation.name}
            today={serviceToday(config, clock)}
            kinds={organisationCaseKinds.map((k) => ({ value: k, label: caseKindLabels[k] }))}
            methods={notificationMethods.map((m) => ({ value: m, label: notificationMethodLabels[m] }))}
            roles={config.securityRoles.filter((r) => r.audience === "provider").map((r) => ({ key: r.key, name: r.name }))}
            rows={NEW_ACCOUNT_ROWS}
          />
        </>
      )}
    </>
  );
}
