import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { listOrganisationAccounts } from "@/lib/accounts/list-organisation-accounts";
import { licenceUse, licenceYear } from "@/lib/requests/licences";
import { suspensionReasonLabels, suspensionReasons } from "@/lib/requests/schema";
import { BackLink } from "../../../../_components/back-link";
import { PageTitle } from "../../../../_components/page-title";
import { SummaryList } from "../../../../_components/summary-list";
import { portal } from "../../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../../_lib/viewer";
import { submitAccountRequest } from "../../actions";
import { AccountRequestForm, type AccountRequestType } from "../account-request-form";
import { LeadChangeForm } from "../lead-change-form";
import { NewUserForm } from "../new-user-form";

export const metadata: Metadata = { title: "Make a request" };

const titles: Record<string, string> = {
  new_user: "Ask for an account for a new user",
  lead_change: "Change your Lead correspondent",
  role_change: "Change a user's security role",
  suspension: "Suspend a user's account",
  reinstatement: "Reinstate a suspended account",
  end_date_change: "Change a user's end date",
};
const accountTypes = ["role_change", "suspension", "reinstatement", "end_date_change"] as const;

// GET /portal/requests/new/:type — the form for one request type (CC-3); ?account= for changes to one person.
export default async function RequestFormPage({ params, searchParams }: { params: Promise<{ type: string }>; searchParams: Promise<{ account?: string }> }) {
  const { type } = await params;
  const viewer = await viewPage(`/portal/requests/new/${type}`, { access: { audience: "provider", kind: "users", level: "edit" } });
  const title = titles[type];
  if (!title) notFound();
  const { database, config, clock } = await portal();
  const providerRoles = config.securityRoles.filter((r) => r.audience === "provider" && r.key !== config.leadRoleKey);
  const people = await listOrganisationAccounts(database.db, viewer.organisationId);

  let form: React.ReactNode;
  let about: React.ReactNode = null;
  if (type === "new_user") {
    const use = await licenceUse(database.db, config, viewer.organisationId, licenceYear(clock.now()));
    form = (
      <NewUserForm
        action={submitAccountRequest}
        emailPolicy={config.email}
        roles={providerRoles.map((r) => ({ key: r.key, name: r.name, description: r.description, clinical: r.clinical }))}
        catalogue={{ securityRoles: config.securityRoles, jobTitleRoles: config.jobTitleRoles }}
        licenceNote={`${use.used} of ${use.allocation} licences for ${use.year} are in use or requested.`}
      />
    );
  } else if (type === "lead_change") {
    form = (
      <LeadChangeForm
        action={submitAccountRequest}
        people={people.filter((p) => p.status === "active" && p.id !== viewer.accountId).map((p) => ({ id: p.id, label: `${p.fullName} (${p.email})` }))}
        roles={providerRoles.map((r) => ({ key: r.key, name: r.name }))}
      />
    );
  } else {
    const accountId = z.uuid().safeParse((await searchParams).account);
    const person = accountId.success ? people.find((p) => p.id === accountId.data) : undefined;
    if (!person) {
      // Another organisation's account, or none: the same answer, and the attempt is recorded (PRIV-1).
      await auditRefusal(viewer, { path: `/portal/requests/new/${type}`, account: (await searchParams).account ?? null });
      notFound();
    }
    about = (
      <SummaryList
        rows={[
          { key: "Name", value: person.fullName },
          { key: "Email address", value: person.email },
          { key: "Security role", value: person.roleKeys.map((k) => config.securityRoles.find((r) => r.key === k)?.name ?? k).join(", ") || "None" },
          { key: "Status", value: person.status },
        ]}
      />
    );
    form = (
      <AccountRequestForm
        action={submitAccountRequest}
        type={type as AccountRequestType}
        subjectAccountId={person.id}
        roles={providerRoles.map((r) => ({ key: r.key, name: r.name, description: r.description, clinical: r.clinical }))}
        currentRoleKeys={person.roleKeys}
        suspensionReasons={suspensionReasons.map((r) => ({ value: r, label: suspensionReasonLabels[r] }))}
      />
    );
  }
  if (!(accountTypes as readonly string[]).includes(type) && type !== "new_user" && type !== "lead_change") notFound();

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/portal/users">Our users</BackLink>
        <PageTitle caption={viewer.organisationName}>{title}</PageTitle>
        {about}
        {form}
      </div>
    </div>
  );
}
