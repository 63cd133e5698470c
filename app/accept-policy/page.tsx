import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { pendingPolicies } from "@/lib/auth/policy-acceptance";
import { PageTitle } from "../_components/page-title";
import { formatDate } from "../_components/dates";
import { portal } from "../_lib/portal";
import { requireViewer } from "../_lib/viewer";
import { accept } from "./actions";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept the updated policy" };

// GET /accept-policy — AUP-5.1a: a new policy version must be accepted before the portal is used.
export default async function AcceptPolicyPage() {
  const viewer = await requireViewer({ skipPolicyCheck: true });
  const { database, config } = await portal();
  const pending = await pendingPolicies(database.db, config, viewer.accountId);
  if (pending.length === 0) redirect("/home");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle>{pending.length === 1 ? `Accept the ${pending[0]!.title}` : "Accept the updated policies"}</PageTitle>
        <p className="govuk-body">Before you carry on, read and accept the current version:</p>
        <ul className="govuk-list govuk-list--bullet">
          {pending.map((p) => (
            <li key={p.key}>
              <Link className="govuk-link" href={`/policies/${p.key}`} target="_blank" rel="noreferrer">
                {p.title}, version {p.version} (opens in a new tab)
              </Link>
              , in effect from {formatDate(p.effectiveDate)}
            </li>
          ))}
        </ul>
        <AcceptForm action={accept} label={`I have read and accept ${pending.map((p) => `the ${p.title} (version ${p.version})`).join(" and ")}`} />
      </div>
    </div>
  );
}
