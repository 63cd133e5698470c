import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { listStaffAccounts } from "@/lib/accounts/list-staff-accounts";
import { can } from "@/lib/auth/permissions";
import { requestPriorities } from "@/lib/db/schema/requests";
import { isAppError } from "@/lib/errors";
import { getRequestDetail } from "@/lib/requests/queries";
import { priorityLabels } from "@/lib/requests/rules";
import { BackLink } from "../../../_components/back-link";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { RequestHistory } from "../../../_requests/request-history";
import { PriorityTag, SlaTag, StatusTag } from "../../../_requests/request-tags";
import { actOnRequest } from "./actions";
import { doneMessages, staffFormActions, type StaffFormAction } from "./done-messages";
import { SenderCheck } from "./sender-check";
import { StaffActions } from "./staff-actions";

export const metadata: Metadata = { title: "Request" };

/** A request's details as label and text, whatever its type. */
function describeDetails(details: Record<string, unknown>, roleName: (key: string) => string): { key: string; value: string }[] {
  const labels: Record<string, string> = {
    fullName: "Full name",
    email: "Email address",
    emailVerdict: "Email check",
    emailAttested: "Email suitability confirmed by requester",
    jobTitle: "Job title",
    roleKeys: "Security role",
    suggestedRoleKey: "Role the job title suggests",
    registrationBody: "Professional body",
    registrationNumber: "Registration number",
    purpose: "Purpose of access",
    temporary: "Temporary member of staff",
    endDate: "End date",
    igTrainingDate: "IG training date",
    reason: "Reason",
    reasonDetail: "More detail",
    outgoingLead: "Outgoing Lead correspondent's account",
    outgoingRoleKeys: "Outgoing Lead's new role",
  };
  const rows: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (["type", "organisationId", "subjectAccountId"].includes(key) || value === null || value === undefined || value === "") continue;
    const label = labels[key] ?? key;
    let text: string;
    if (Array.isArray(value)) text = value.map((v) => (key.toLowerCase().includes("role") ? roleName(String(v)) : String(v))).join(", ") || "None";
    else if (typeof value === "boolean") text = value ? "Yes" : "No";
    else if (key === "suggestedRoleKey") text = roleName(String(value));
    else if (typeof value === "object") text = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join(", ");
    else text = String(value);
    rows.push({ key: label, value: text });
  }
  return rows;
}

// GET /staff/requests/:id — one request for staff: details, SLA, checklist, actions, internal notes and history.
export default async function StaffRequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const viewer = await viewPage(`/staff/requests/${(await params).id}`, { access: { audience: "operator", kind: "requests", level: "read" } });
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const { database, config, clock } = await portal();
  let detail;
  try {
    detail = await getRequestDetail({ db: database.db, clock, config, viewer, requestId: id.data });
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
  const staff = await listStaffAccounts(database.db);
  const { request } = detail;
  const roleName = (key: string) => config.securityRoles.find((r) => r.key === key)?.name ?? key;
  const doneKey = (await searchParams).done;
  const done = doneKey && (staffFormActions as readonly string[]).includes(doneKey) ? doneMessages[doneKey as StaffFormAction] : null;
  const editable = can(viewer, "requests", "edit");

  return (
    <>
      <BackLink href="/staff/requests">Requests</BackLink>
      {done && <NotificationBanner type="success" heading={done} />}
      <PageTitle caption={`${request.reference} · ${detail.organisation.name}`}>{request.title}</PageTitle>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: "Type", value: request.typeLabel },
              { key: "Status", value: <StatusTag status={request.status} /> },
              { key: "Priority", value: <PriorityTag priority={request.priority} /> },
              {
                key: "Due",
                value: (
                  <>
                    {formatDateTime(request.dueAt)} <SlaTag sla={request.sla} />
                  </>
                ),
              },
              { key: "Received", value: `${formatDateTime(request.receivedAt)} by ${request.channel}` },
              { key: "Requested by", value: `${detail.requester.fullName} (${detail.requester.email})` },
              { key: "Organisation", value: `${detail.organisation.name} (${detail.organisation.odsCode}), ${detail.organisation.status}` },
              { key: "Assigned to", value: detail.assignee?.fullName ?? "Nobody yet" },
              ...(request.resolution ? [{ key: "Outcome", value: request.resolution }] : []),
            ]}
          />
          {detail.sender && <SenderCheck sender={detail.sender} />}
          <h2 className="govuk-heading-m">What is asked</h2>
          <SummaryList rows={describeDetails(detail.details as unknown as Record<string, unknown>, roleName)} />
          {detail.emailAttestation && (
            <p className="govuk-body-s">
              {detail.emailAttestation.attestedByLabel} confirmed on {formatDateTime(new Date(detail.emailAttestation.attestedAt))} that{" "}
              {detail.emailAttestation.email} is used only by this person and suits direct-care information (UCP-EMAIL-1).
            </p>
          )}
          {detail.subject && (
            <>
              <h2 className="govuk-heading-m">The account</h2>
              <SummaryList
                rows={[
                  { key: "Name", value: detail.subject.fullName },
                  { key: "Email address", value: detail.subject.email },
                  { key: "Status", value: detail.subject.status },
                  { key: "Security role", value: detail.subject.roles.map(roleName).join(", ") || "None" },
                  ...(detail.subject.endDate ? [{ key: "End date", value: detail.subject.endDate }] : []),
                ]}
              />
            </>
          )}
          {request.type === "lead_change" && (
            <>
              <h2 className="govuk-heading-m">Confirmations (UAP-A.3)</h2>
              <SummaryList
                rows={(["telephone", "email"] as const).map((method) => {
                  const c = detail.leadConfirmations[method];
                  return {
                    key: method === "telephone" ? "By telephone" : "By email",
                    value: c ? `${c.confirmedWith}, ${formatDateTime(new Date(c.confirmedAt))}, recorded by ${c.recordedByLabel}` : "Not yet",
                  };
                })}
              />
            </>
          )}
          {detail.relatedSystems.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Related systems (UAP-A.2b)</h2>
              <ul className="govuk-list" data-testid="related-systems">
                {detail.relatedSystems.map((s) => (
                  <li key={s.key}>
                    {s.tick ? "Done" : "To do"}: {s.name}
                    {s.tick && ` (${s.tick.byLabel}, ${formatDateTime(new Date(s.tick.doneAt))})`}
                  </li>
                ))}
              </ul>
            </>
          )}
          {editable && (
            <>
              <h2 className="govuk-heading-m">Act on the request</h2>
              <StaffActions
                action={actOnRequest.bind(null, request.id)}
                version={request.version}
                allowed={detail.actions.filter((a) => a.check.ok).map((a) => a.action)}
                blocked={detail.actions.flatMap((a) => (!a.check.ok && a.check.blockedBy === "rule" && a.action !== "confirm_sender" ? [{ action: a.action, reason: a.check.reason }] : []))}
                priority={request.priority}
                priorities={requestPriorities.map((p) => ({ value: p, label: priorityLabels[p] }))}
                staff={staff}
                assigneeId={detail.assignee?.id ?? null}
                viewerId={viewer.accountId}
                relatedSystems={detail.relatedSystems.map((s) => ({ key: s.key, name: s.name, done: Boolean(s.tick) }))}
                missingConfirmations={detail.missingConfirmations}
              />
            </>
          )}
          <h2 className="govuk-heading-m">Internal notes</h2>
          {detail.notes.length === 0 ? (
            <p className="govuk-body">No notes yet.</p>
          ) : (
            <ul className="govuk-list" data-testid="notes">
              {detail.notes.map((n) => (
                <li key={n.id} className="govuk-inset-text govuk-!-margin-top-0">
                  <p className="govuk-body portal-pre-wrap">{n.body}</p>
                  <p className="govuk-body-s govuk-!-margin-bottom-0">
                    {n.authorLabel}, {formatDateTime(n.createdAt)} · {n.channel}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">History</h2>
          <RequestHistory history={detail.history} />
        </div>
      </div>
    </>
  );
}
