import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/config";
import { BackLink } from "../../_components/back-link";
import { ContactDetails, operatorContact } from "../../_components/contact-details";
import { todayIn } from "../../_components/dates";
import { PageTitle } from "../../_components/page-title";
import { PolicyFacts } from "../policy-facts";

type Props = { params: Promise<{ key: string }> };

function findPolicy(key: string) {
  return getConfig().policies.find((policy) => policy.key === key);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const policy = findPolicy((await params).key);
  return { title: policy ? policy.title : "Page not found" };
}

// GET /policies/[key] — one policy: its summary, version and review dates (UAP-6.1). The
// configuration decides which policies exist, so any other key is "page not found".
export default async function PolicyPage({ params }: Props) {
  const policy = findPolicy((await params).key);
  if (!policy) notFound();
  const { operator, requests } = getConfig();
  return (
    <>
      <BackLink href="/policies">All policies</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <PageTitle caption={`Policies – version ${policy.version}`}>{policy.title}</PageTitle>
          {policy.summary && <p className="govuk-body-l">{policy.summary}</p>}
          <PolicyFacts policy={policy} today={todayIn(requests.serviceHours.timeZone)} />
          {policy.mustAccept && (
            <div className="govuk-inset-text">
              You must accept this policy before you use the portal. When a new version is published, you are asked to
              accept it again.
            </div>
          )}
          <h2 className="govuk-heading-m">Get the full document</h2>
          <p className="govuk-body">
            For a copy of the full {policy.title}, or to ask a question about it, contact {operator.teamName}:
          </p>
          <ContactDetails contact={operatorContact(operator)} />
        </div>
      </div>
    </>
  );
}
