import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { caseAuthorityRoles } from "@/lib/db/schema/organisation-cases";
import { isAppError } from "@/lib/errors";
import { getOrganisationCase } from "@/lib/organisations/queries";
import { authorityRoleLabels, caseActionLabels, caseKindLabels, caseModeLabels, statusLabels, type CaseAuthorityRole, type OrganisationStatus } from "@/lib/organisations/rules";
import { notificationMethodLabels } from "@/lib/organisations/schema";
import { BackLink } from "../../../../../_components/back-link";
import { formatDate } from "../../../../../_components/dates";
import { NotificationBanner } from "../../../../../_components/notification-banner";
import { PageTitle } from "../../../../../_components/page-title";
import { SummaryList } from "../../../../../_components/summary-list";
import { formatDateTime } from "../../../../../_lib/format-time";
import { portal } from "../../../../../_lib/portal";
import { viewPage } from "../../../../../_lib/viewer";
import { ActionStatusTag, CaseStatusTag, OrganisationStatusTag } from "../../../organisation-tags";
import { doneMessage } from "../../done-messages";
import { closeCase, confirmPackages, recordConfirmation } from "../actions";
import { CarePackagesForm, CloseCaseForm, ConfirmationForm } from "./case-forms";

export const metadata: Metadata = { title: "Organisation case" };

// GET /staff/organisations/:id/cases/:caseId — one closure, administration or change-of-ownership case: the notification, what was done or is scheduled, the written confirmation and the checklist (UAP-A.7).
export default async function CasePage({ params, searchParams }: { params: Promise<{ id: string; caseId: string }>; searchParams: Promise<{ done?: string }> }) {
  const { id: rawId, caseId: rawCaseId } = await params;
  const viewer = await viewPage(`/staff/organisations/${rawId}/cases/${rawCaseId}`, { access: { audience: "operator", kind: "organisations", level: "read" } });
  const ids = z.object({ id: z.uuid(), caseId: z.uuid() }).safeParse({ id: rawId, caseId: rawCaseId });
  if (!ids.success) notFound();
  const { database, config } = await portal();
  let detail;
  try {
    detail = await getOrganisationCase({ db: database.db, organisationId: ids.data.id, caseId: ids.data.caseId });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const { organisation, kase, reference, told, actions, people } = detail;
  const editable = can(viewer, "organisations", "edit") && kase.status === "open";
  const done = doneMessage((await searchParams).done);
  const roleName = (key: string | null) => config.securityRoles.find((r) => r.key === key)?.name ?? key ?? "";
  const who = (id: string | null) => (id ? (people[id] ?? "A member of staff") : "The portal");
  const organisationPath = `/staff/organisations/${organisation.id}`;

  return (
    <>
      <BackLink href={organisationPath}>{organisation.name}</BackLink>
      {done && <NotificationBanner type="success" heading={`${done}: ${reference}`} />}
      <PageTitle caption={`${organisation.name} · ${organisation.odsCode}`}>
        {reference}: {caseKindLabels[kase.kind]}
      </PageTitle>
      <SummaryList
        rows={[
          { key: "Status", value: <CaseStatusTag status={kase.status} /> },
          { key: "Kind", value: `${caseKindLabels[kase.kind]}, ${caseModeLabels[kase.mode].toLowerCase()}` },
          { key: "What is happening", value: <span className="portal-pre-wrap">{kase.summary}</span> },
          { key: "Told us", value: `${kase.notifiedBy}, by ${(notificationMethodLabels[kase.notifiedVia as keyof typeof notificationMethodLabels] ?? kase.notifiedVia).toLowerCase()}, ${formatDateTime(kase.notifiedAt)}` },
          { key: "Takes effect", value: formatDate(kase.effectiveDate) },
          { key: "Opened", value: `${kase.openedByLabel}, ${formatDateTime(kase.createdAt)}` },
          {
            key: "Organisation status",
            value: (
              <>
                {statusLabels[kase.organisationStatusBefore as OrganisationStatus] ?? kase.organisationStatusBefore} before the case; now <OrganisationStatusTag status={organisation.status} />
              </>
            ),
          },
          ...(told
            ? [
                {
                  key: "Suspension",
                  value: `${told.suspended ?? 0} ${told.suspended === 1 ? "account" : "accounts"} suspended and ${told.sessionsEnded ?? 0} ${told.sessionsEnded === 1 ? "session" : "sessions"} ended${told.at ? `, ${formatDateTime(new Date(told.at))}` : ""}.`,
                },
                {
                  key: "Who was told",
                  value: told.to.length
                    ? `Emailed to ${told.to.join(", ")}${told.cc.length ? `, copied to ${told.cc.join(", ")}` : ""}${told.at ? `, ${formatDateTime(new Date(told.at))}` : ""}`
                    : "Nobody: the organisation had no active Lead correspondent to email",
                },
              ]
            : []),
        ]}
      />

      {kase.mode === "planned" && (
        <>
          <h2 className="govuk-heading-m">Scheduled changes</h2>
          {actions.length === 0 ? (
            <p className="govuk-body">Nothing was scheduled.</p>
          ) : (
            <table className="govuk-table portal-table--stack" data-testid="case-actions">
              <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Scheduled changes of {reference}</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Change</th>
                  <th scope="col" className="govuk-table__header">Date</th>
                  <th scope="col" className="govuk-table__header">Status</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {actions.map((a) => (
                  <tr key={a.id} className="govuk-table__row">
                    <td className="govuk-table__cell" data-label="Change">
                      {a.kind === "create_account" ? `Create an account for ${a.fullName} (${a.email}), ${roleName(a.roleKey)}` : caseActionLabels[a.kind]}
                      {a.error && <p className="govuk-body-s govuk-!-margin-bottom-0">{a.error}</p>}
                      {a.kind === "suspend_accounts" && a.status === "done" && typeof a.result?.suspended === "number" && (
                        <p className="govuk-body-s govuk-!-margin-bottom-0">{a.result.suspended} accounts suspended.</p>
                      )}
                    </td>
                    <td className="govuk-table__cell" data-label="Date">
                      {formatDate(a.effectiveDate)}
                      {a.doneAt && (
                        <>
                          <br />
                          <span className="govuk-body-s">ran {formatDateTime(a.doneAt)}</span>
                        </>
                      )}
                    </td>
                    <td className="govuk-table__cell" data-label="Status">
                      <ActionStatusTag status={a.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}

      <h2 className="govuk-heading-m">Written confirmation</h2>
      {kase.confirmedByName ? (
        <SummaryList
          rows={[
            { key: "Confirmed by", value: `${kase.confirmedByName}, ${authorityRoleLabels[kase.confirmedByRole as CaseAuthorityRole] ?? kase.confirmedByRole}` },
            { key: "Date", value: kase.confirmedOn ? formatDate(kase.confirmedOn) : "" },
            { key: "The confirmation", value: <span className="portal-pre-wrap">{kase.confirmationNote}</span> },
            { key: "Recorded", value: `${who(kase.confirmationRecordedById)}${kase.confirmationRecordedAt ? `, ${formatDateTime(kase.confirmationRecordedAt)}` : ""}` },
          ]}
        />
      ) : (
        <p className="govuk-body">Not yet recorded. The case cannot close without the registered manager&apos;s or the appointed administrator&apos;s confirmation in writing.</p>
      )}
      {editable && (
        <details className="govuk-details" open={!kase.confirmedByName}>
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">{kase.confirmedByName ? "Replace the confirmation" : "Record the confirmation"}</span>
          </summary>
          <div className="govuk-details__text">
            <ConfirmationForm
              action={recordConfirmation.bind(null, organisation.id, kase.id)}
              roles={caseAuthorityRoles.map((r) => ({ value: r, label: authorityRoleLabels[r] }))}
              initial={{
                confirmedByName: kase.confirmedByName ?? "",
                confirmedByRole: kase.confirmedByRole ?? "",
                confirmedOn: kase.confirmedOn ?? "",
                confirmationNote: kase.confirmationNote ?? "",
              }}
            />
          </div>
        </details>
      )}

      <h2 className="govuk-heading-m">Care packages</h2>
      {kase.carePackagesCheckedAt ? (
        <p className="govuk-body" data-testid="care-packages-checked">
          Checked by {who(kase.carePackagesCheckedById)}, {formatDateTime(kase.carePackagesCheckedAt)}: providers who took over the care packages can see what they need.
          {kase.carePackagesNote && ` ${kase.carePackagesNote}`}
        </p>
      ) : editable ? (
        <CarePackagesForm action={confirmPackages.bind(null, organisation.id, kase.id)} />
      ) : (
        <p className="govuk-body">Not yet checked.</p>
      )}

      <h2 className="govuk-heading-m">Closing the case</h2>
      {kase.status === "closed" ? (
        <p className="govuk-body">
          Closed by {who(kase.closedById)}
          {kase.closedAt ? `, ${formatDateTime(kase.closedAt)}` : ""}.
        </p>
      ) : detail.closingGaps.length > 0 ? (
        <div className="govuk-inset-text" data-testid="closing-gaps">
          Before the case can close:
          <ul className="govuk-list govuk-list--bullet">
            {detail.closingGaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </div>
      ) : editable ? (
        <CloseCaseForm action={closeCase.bind(null, organisation.id, kase.id)} />
      ) : (
        <p className="govuk-body">The case is ready to close.</p>
      )}
    </>
  );
}
