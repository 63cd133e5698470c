import Link from "next/link";
import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { todayIn } from "../_components/dates";
import { PageTitle } from "../_components/page-title";
import { SummaryCard } from "../_components/summary-list";
import { PolicyFacts } from "./policy-facts";

export const metadata: Metadata = { title: "Policies" };

// GET /policies — the current version of each policy, with its review dates (UAP-6.1).
export default function PoliciesPage() {
  const { operator, policies, requests } = getConfig();
  const today = todayIn(requests.serviceHours.timeZone);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={operator.shortName}>Policies</PageTitle>
        <p className="govuk-body-l">These are the current versions of the policies that apply when you use the portal.</p>
        <p className="govuk-body">
          {operator.name} reviews each policy at least every 12 months. When a policy you must accept changes, you are
          asked to accept the new version the next time you sign in.
        </p>
        {policies.map((policy) => (
          <div key={policy.key} data-testid={`policy-${policy.key}`}>
            <SummaryCard title={policy.title}>
              {policy.summary && <p className="govuk-body">{policy.summary}</p>}
              <PolicyFacts policy={policy} today={today} />
              <p className="govuk-body govuk-!-margin-bottom-0">
                <Link className="govuk-link" href={`/policies/${policy.key}`}>
                  Read the {policy.title}
                  <span className="govuk-visually-hidden"> (version {policy.version})</span>
                </Link>
              </p>
            </SummaryCard>
          </div>
        ))}
      </div>
    </div>
  );
}
