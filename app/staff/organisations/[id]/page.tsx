import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { dsptRequired, dsptStatuses, type Eligibility } from "@/lib/organisations/eligibility";
import { getOrganisationDetail } from "@/lib/organisations/queries";
import { canOpenCase, caseKindLabels, caseModeLabels, organisationTypeLabels } from "@/lib/organisations/rules";
import { BackLink } from "../../../_components/back-link";
import { ButtonLink } from "../../../_components/button";
import { formatDate } from "../../../_components/dates";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { Tag } from "../../../_components/tag";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { CaseStatusTag, EligibilityTag, OrganisationStatusTag } from "../organisation-tags";
import { activate, inviteLead, saveEligibility, setAllocation } from "./actions";
import { doneMessage } from "./done-messages";
import { ActivateForm, AllocationForm, EligibilityForm, InviteLeadForm } from "./organisation-forms";

export const metadata: Metadata = { title: "Organisation" };

/** The stored checklist as the form's values. */
function eligibilityValues(e: Eligibility): Record<string, string> {
  const yn = (b: boolean | undefined) => (b === true ? "yes" : b === false ? "no" : "");
  return {
    odsVerified: e.odsVerified ? "yes" : "",
    dpiaListed: yn(e.dpiaListed),
    icsApprovedBy: e.icsApproval?.approvedBy ?? "",
    icsApprovedOn: e.icsApproval?.approvedOn ?? "",
    icsEvidence: e.icsApproval?.evidence ?? "",
    dsptStatus: e.dsptStatus ?? "",
    dsptDate: e.dsptDate ?? "",
    inRegion: yn(e.inRegion),
    regionalRoute: e.regionalApproval ? "regional_lead" : e.ownDpia ? "own_dpia" : "",
    regionalApprovedBy: e.regionalApproval?.approvedBy ?? "",
    regionalApprovedOn: e.regionalApproval?.approvedOn ?? "",
    regionalEvidence: e.regionalApproval?.evidence ?? "",
    ownDpiaReference: e.ownDpia?.reference ?? "",
    ownDpiaCompletedOn: e.ownDpia?.completedOn ?? "",
  };
}

type TaskStatus = "done" | "todo" | "blocked";

function TaskStatusText({ status, text }: { status: TaskStatus; text: string }) {
  return status === "todo" ? <Tag colour="blue">{text}</Tag> : <>{text}</>;
}

// GET /staff/organisations/:id — one provider organisation: details, onboarding tasks, eligibility checklist, activation, the Lead correspondent, licences, accounts and cases.
export default async function OrganisationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const { id: rawId } = await params;
  const viewer = await viewPage(`/staff/organisations/${rawId}`, { access: { audience: "operator", kind: "organisations", level: "read" } });
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
  const { organisation, checklist, licences } = detail;
  const editable = can(viewer, "organisations", "edit");
  const done = doneMessage((await searchParams).done);
  const roleName = (key: string) => config.securityRoles.find((r) => r.key === key)?.name ?? key;
  const leadRole = roleName(config.leadRoleKey);
  const region = config.operator.region || "the region";
  const hasLead = detail.accounts.some((a) => a.roleKeys.includes(config.leadRoleKey) && a.status !== "suspended");

  const tasks: { href: string; name: string; hint?: string; status: TaskStatus; statusText: string }[] = [
    {
      href: "#eligibility",
      name: "Check eligibility",
      hint: "ODS code, DPIA, DSPT and region",
      status: checklist.eligible ? "done" : "todo",
      statusText: checklist.eligible ? "Completed" : "Incomplete",
    },
    {
      href: "#activate",
      name: "Activate the organisation",
      status: organisation.status === "onboarding" ? (checklist.eligible ? "todo" : "blocked") : "done",
      statusText: organisation.status === "onboarding" ? (checklist.eligible ? "Not yet started" : "Cannot start yet") : "Completed",
    },
    {
      href: "#invite",
      name: `Invite the ${leadRole}`,
      status: hasLead ? "done" : organisation.status === "active" ? "todo" : "blocked",
      statusText: hasLead ? "Completed" : organisation.status === "active" ? "Not yet started" : "Cannot start yet",
    },
  ];
  const caseAllowed = canOpenCase(organisation.status);

  return (
    <>
      <BackLink href="/staff/organisations">Organisations</BackLink>
      {done && <NotificationBanner type="success" heading={done} />}
      <PageTitle caption={`Organisation · ${organisation.odsCode}`}>{organisation.name}</PageTitle>
      <SummaryList
        rows={[
          { key: "ODS code", value: organisation.odsCode },
          { key: "Type", value: organisationTypeLabels[organisation.type] ?? organisation.type },
          { key: "Status", value: <OrganisationStatusTag status={organisation.status} /> },
          { key: "Address", value: <span className="portal-pre-wrap">{organisation.address ?? "Not recorded"}</span> },
        ]}
      />

      <h2 className="govuk-heading-m">Onboarding</h2>
      <ul className="govuk-task-list" data-testid="onboarding-tasks">
        {tasks.map((t, i) => (
          <li key={t.href} className={t.status === "blocked" ? "govuk-task-list__item" : "govuk-task-list__item govuk-task-list__item--with-link"}>
            <div className="govuk-task-list__name-and-hint">
              {t.status === "blocked" ? (
                <span>{t.name}</span>
              ) : (
                <a className="govuk-link govuk-task-list__link" href={t.href} aria-describedby={`task-${i}-status`}>
                  {t.name}
                </a>
              )}
              {t.hint && <div className="govuk-task-list__hint">{t.hint}</div>}
            </div>
            <div className={t.status === "blocked" ? "govuk-task-list__status govuk-task-list__status--cannot-start-yet" : "govuk-task-list__status"} id={`task-${i}-status`}>
              <TaskStatusText status={t.status} text={t.statusText} />
            </div>
          </li>
        ))}
      </ul>

      <h2 className="govuk-heading-m" id="eligibility">
        Eligibility checklist
      </h2>
      <table className="govuk-table portal-table--stack" data-testid="eligibility">
        <caption className="govuk-table__caption govuk-table__caption--s">{checklist.eligible ? "The checklist passes" : "The checklist does not pass yet"}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Item</th>
            <th scope="col" className="govuk-table__header">Status</th>
            <th scope="col" className="govuk-table__header">Detail</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {checklist.items.map((item) => (
            <tr key={item.key} className="govuk-table__row" data-item={item.key}>
              <th scope="row" className="govuk-table__header" data-label="Item">
                {item.label} <span className="govuk-body-s">({item.clauses.join(", ")})</span>
              </th>
              <td className="govuk-table__cell" data-label="Status">
                <EligibilityTag status={item.status} />
              </td>
              <td className="govuk-table__cell" data-label="Detail">{item.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.eligibility.recordedBy && detail.eligibility.recordedAt && (
        <p className="govuk-body-s">
          Last saved by {detail.eligibility.recordedBy}, {formatDateTime(new Date(detail.eligibility.recordedAt))}.
        </p>
      )}
      {editable && organisation.status !== "closed" && (
        <details className="govuk-details" open={!checklist.eligible}>
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Update the checklist</span>
          </summary>
          <div className="govuk-details__text">
            <EligibilityForm
              action={saveEligibility.bind(null, organisation.id)}
              odsCode={organisation.odsCode}
              region={region}
              dsptNeeded={dsptRequired(organisation.type)}
              dsptStatuses={dsptStatuses}
              initial={eligibilityValues(detail.eligibility)}
            />
          </div>
        </details>
      )}

      <h2 className="govuk-heading-m" id="activate">
        Activation
      </h2>
      {organisation.status === "onboarding" ? (
        <>
          {!checklist.eligible && (
            <div className="govuk-inset-text" data-testid="activation-blocked">
              {organisation.name} cannot be activated until its eligibility checklist passes. Still to do:
              <ul className="govuk-list govuk-list--bullet">
                {checklist.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </div>
          )}
          {editable && checklist.eligible && <ActivateForm action={activate.bind(null, organisation.id)} name={organisation.name} />}
        </>
      ) : (
        <p className="govuk-body">{organisation.status === "active" ? `${organisation.name} is active.` : `${organisation.name} is ${organisation.status}.`}</p>
      )}

      <h2 className="govuk-heading-m" id="invite">
        {leadRole}
      </h2>
      {hasLead ? (
        <p className="govuk-body">
          {detail.accounts
            .filter((a) => a.roleKeys.includes(config.leadRoleKey) && a.status !== "suspended")
            .map((a) => `${a.fullName} (${a.email}, ${a.status === "pending" ? "waiting for set-up" : "active"})`)
            .join("; ")}
          . Further users are requested by the {leadRole} in the portal.
        </p>
      ) : organisation.status !== "active" ? (
        <p className="govuk-body">The {leadRole} can be invited once the organisation is active.</p>
      ) : detail.liveAccounts > 0 ? (
        <p className="govuk-body">The organisation already has users; a new {leadRole} is asked for with a Lead change request.</p>
      ) : editable ? (
        <>
          <p className="govuk-body">
            The organisation&apos;s named main contact becomes its {leadRole}: the first account, holding the {leadRole} role. They are sent their
            username and, separately, a link to set up their password and security number.
          </p>
          <InviteLeadForm action={inviteLead.bind(null, organisation.id)} />
        </>
      ) : (
        <p className="govuk-body">No {leadRole} has been invited yet.</p>
      )}

      <h2 className="govuk-heading-m" id="licences">
        Licences
      </h2>
      <SummaryList
        rows={[
          { key: `Allocation for ${licences.year}`, value: `${licences.allocation}${licences.recorded ? "" : " (the default)"}` },
          { key: "In use or requested", value: `${licences.used} (${licences.percent}%)` },
          {
            key: "Alert",
            value: licences.alerted
              ? `Sent: use reached ${licences.thresholdPercent}% this year`
              : `Sent to the ${leadRole} and staff when use reaches ${licences.thresholdPercent}%`,
          },
        ]}
      />
      {editable && organisation.status !== "closed" && (
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Change the allocation</span>
          </summary>
          <div className="govuk-details__text">
            <AllocationForm action={setAllocation.bind(null, organisation.id)} year={licences.year} allocation={licences.allocation} />
          </div>
        </details>
      )}

      <h2 className="govuk-heading-m" id="accounts">
        Accounts
      </h2>
      {detail.accounts.length === 0 ? (
        <p className="govuk-body" data-testid="accounts-empty">
          No accounts yet.
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="accounts">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Accounts of {organisation.name}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Name</th>
              <th scope="col" className="govuk-table__header">Security role</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Last signed in</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {detail.accounts.map((a) => (
              <tr key={a.id} className="govuk-table__row" data-email={a.email}>
                <td className="govuk-table__cell" data-label="Name">
                  {a.fullName}
                  <br />
                  <span className="govuk-body-s">{a.email}</span>
                </td>
                <td className="govuk-table__cell" data-label="Security role">{a.roleKeys.map(roleName).join(", ") || "None"}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <Tag colour={a.status === "active" ? "green" : a.status === "pending" ? "blue" : "grey"}>{a.status === "pending" ? "Waiting for set-up" : a.status === "active" ? "Active" : "Suspended"}</Tag>
                </td>
                <td className="govuk-table__cell" data-label="Last signed in">{a.lastSignInAt ? formatDateTime(a.lastSignInAt) : "Never"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="govuk-heading-m" id="cases">
        Closure, administration and change of ownership
      </h2>
      {detail.cases.length === 0 ? (
        <p className="govuk-body" data-testid="cases-empty">
          No cases.
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="cases">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Cases of {organisation.name}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Case</th>
              <th scope="col" className="govuk-table__header">Takes effect</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {detail.cases.map((c) => (
              <tr key={c.id} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="Case">
                  <Link className="govuk-link" href={`/staff/organisations/${organisation.id}/cases/${c.id}`}>
                    {c.reference}: {caseKindLabels[c.kind]} ({caseModeLabels[c.mode].toLowerCase()})
                  </Link>
                </td>
                <td className="govuk-table__cell" data-label="Takes effect">{formatDate(c.effectiveDate)}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <CaseStatusTag status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && caseAllowed.ok && !detail.openCaseId && (
        <ButtonLink href={`/staff/organisations/${organisation.id}/cases/new`} variant="secondary">
          Open a case
        </ButtonLink>
      )}
      {editable && detail.openCaseId && <p className="govuk-body">A case is open: record further changes on it.</p>}
    </>
  );
}
