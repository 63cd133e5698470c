import type { Metadata } from "next";
import Link from "next/link";
import { eq } from "drizzle-orm";
import { accounts } from "@/lib/db/schema";
import { PageTitle } from "../_components/page-title";
import { SummaryList } from "../_components/summary-list";
import { formatDateTime } from "../_lib/format-time";
import { portal } from "../_lib/portal";
import { viewPage } from "../_lib/viewer";

export const metadata: Metadata = { title: "Your account" };

// GET /account — the signed-in person's account, sign-out, and "my account may be compromised".
export default async function AccountPage() {
  const viewer = await viewPage("/account");
  const { database, config } = await portal();
  const [account] = await database.db
    .select({ lastSignInAt: accounts.lastSignInAt, jobTitle: accounts.jobTitle })
    .from(accounts)
    .where(eq(accounts.id, viewer.accountId));
  const roles = config.securityRoles.filter((r) => viewer.roleKeys.includes(r.key)).map((r) => r.name);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={viewer.organisationName}>Your account</PageTitle>
        <SummaryList
          rows={[
            { key: "Name", value: viewer.fullName },
            { key: "Email address", value: viewer.email },
            ...(account?.jobTitle ? [{ key: "Job title", value: account.jobTitle }] : []),
            { key: "Organisation", value: viewer.organisationName },
            { key: roles.length === 1 ? "Security role" : "Security roles", value: roles.join(", ") || "None" },
            { key: "Signed in", value: account?.lastSignInAt ? formatDateTime(account.lastSignInAt) : "Not recorded" },
          ]}
        />
        <p className="govuk-body">
          {viewer.audience === "provider"
            ? "To change your name, email address or role, ask your organisation's Lead correspondent."
            : "To change your name, email address or role, ask a team lead."}
        </p>
        <h2 className="govuk-heading-m">Sign-in details</h2>
        <ul className="govuk-list">
          <li>
            <Link className="govuk-link" href="/reset">
              Change your password or security number
            </Link>
          </li>
          <li>
            <Link className="govuk-link" href="/account/compromised">
              My account may be compromised
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}
