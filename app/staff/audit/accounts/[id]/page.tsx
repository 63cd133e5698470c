import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { accountActivity } from "@/lib/audit/search-audit";
import { auditSearchParams } from "@/lib/audit/search-filters";
import { BackLink } from "../../../../_components/back-link";
import { PageTitle } from "../../../../_components/page-title";
import { SummaryList } from "../../../../_components/summary-list";
import { Tag } from "../../../../_components/tag";
import { formatDateTime } from "../../../../_lib/format-time";
import { portal } from "../../../../_lib/portal";
import { requireAccess, viewPage } from "../../../../_lib/viewer";
import { AuditEventsTable } from "../../audit-events-table";
import { AuditPagination } from "../../audit-pagination";

export const metadata: Metadata = { title: "Account activity" };

const access = { audience: "operator", kind: "audit" } as const;

// GET /staff/audit/accounts/:id — everything one account did, and everything done to it
// (AUP-8.1), newest first. Needs operator audit read; the view is logged against the viewer
// with the account as its subject (PRIV-2a).
export default async function AccountActivityPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string }> }) {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) {
    await requireAccess(access.audience, access.kind, "read", "/staff/audit/accounts");
    notFound();
  }
  const accountId = id.data.toLowerCase();
  const path = `/staff/audit/accounts/${accountId}`;
  await viewPage(path, { access, subjectAccountId: accountId });
  const { database } = await portal();
  const pageText = (await searchParams).page ?? "";
  const page = /^\d{1,7}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  const { account, rows, total, totalIsLowerBound, hasNextPage } = await accountActivity(database.db, accountId, { page });
  if (!account) notFound();

  const query = auditSearchParams({ person: account.id }).toString();
  const count = totalIsLowerBound ? `More than ${total.toLocaleString("en-GB")} events` : `${total.toLocaleString("en-GB")} ${total === 1 ? "event" : "events"}`;
  return (
    <>
      <BackLink href="/staff/audit">Audit log</BackLink>
      <PageTitle caption="Account activity">{account.fullName}</PageTitle>
      <SummaryList
        rows={[
          { key: "Email address", value: <span className="portal-break-anywhere">{account.email}</span> },
          { key: "Organisation", value: account.organisationName },
          { key: "Status", value: <Tag colour={account.status === "active" ? "green" : account.status === "suspended" ? "red" : "grey"}>{account.status}</Tag> },
          { key: "Last signed in", value: account.lastSignInAt ? formatDateTime(account.lastSignInAt) : "Never" },
          { key: "Account ID", value: <code className="portal-break-anywhere">{account.id}</code> },
        ]}
      />
      <h2 className="govuk-heading-m" data-testid="audit-total">
        {count}
      </h2>
      <p className="govuk-body">What this account did, and what was done to it, newest first. Searches are not included: they are recorded without the account.</p>
      {rows.length === 0 ? (
        <p className="govuk-body" data-testid="audit-empty">
          {page > 1 ? "There are no more events for this account." : "Nothing has been recorded for this account yet."}
        </p>
      ) : (
        <>
          <ul className="govuk-list govuk-!-display-none-print" data-testid="audit-actions">
            <li>
              {/* Plain links: each export and print is recorded (AUP-5.2f), so nothing may fetch them ahead of a click. */}
              <a className="govuk-link" href={`/staff/audit/export?${query}`} download>
                Export CSV
              </a>
            </li>
            <li>
              <a className="govuk-link" href={`/staff/audit/print?${query}`}>
                Print
              </a>
            </li>
          </ul>
          <AuditEventsTable rows={rows} caption={`Events by or about ${account.fullName}, page ${page}`} />
          <AuditPagination page={page} hasNextPage={hasNextPage} label="Account activity pages" href={(p) => (p > 1 ? `${path}?page=${p}` : path)} />
        </>
      )}
    </>
  );
}
