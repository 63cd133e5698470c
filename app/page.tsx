import Link from "next/link";
import type { Metadata } from "next";
import { policiesToAccept } from "@/lib/auth/policy-acceptance";
import { getConfig } from "@/lib/config";
import { StartButton } from "./_components/button";
import { ContactDetails, operatorContact } from "./_components/contact-details";
import { PageTitle } from "./_components/page-title";

export async function generateMetadata(): Promise<Metadata> {
  const { operator } = getConfig();
  return { title: { absolute: `${operator.shortName} – ${operator.name}` } };
}

// GET / — the start page: what the portal is for, who may have an account, and how to get one.
export default function StartPage() {
  const config = getConfig();
  const { operator } = config;
  const mustAccept = policiesToAccept(config);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle size="xl">{operator.shortName}</PageTitle>
        <p className="govuk-body-l">
          Use this service if you work for a care provider that {operator.name} contracts with, to see information
          about the care your organisation provides.
        </p>
        <p className="govuk-body">You can:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>see live purchase orders for the packages of care you provide</li>
          <li>review and sign contracts for packages of care</li>
          <li>see scheduled payments and remittances</li>
          <li>send queries about people receiving care, or about payments, and read the replies</li>
          <li>keep your organisation&apos;s staff contact details up to date</li>
        </ul>
        <p className="govuk-body">What you can see and do depends on the security role your account has.</p>

        <StartButton href="/sign-in">Sign in</StartButton>

        <h2 className="govuk-heading-m">Who can have an account</h2>
        <p className="govuk-body">
          Accounts are only for named members of staff of care provider organisations that hold a contract with{" "}
          {operator.name}, who need the information to do their job.
        </p>
        <p className="govuk-body">
          Each account belongs to one person and uses their own work email address. Shared or team mailboxes, such as
          info@ or office@ addresses, cannot be used.
        </p>
        {mustAccept.length > 0 && (
          <p className="govuk-body">
            You must accept the{" "}
            {mustAccept.map((policy, index) => (
              <span key={policy.key}>
                {index > 0 && (index === mustAccept.length - 1 ? " and the " : ", the ")}
                <Link className="govuk-link" href={`/policies/${policy.key}`}>
                  {policy.title}
                </Link>
              </span>
            ))}{" "}
            before you use the portal.
          </p>
        )}

        <h2 className="govuk-heading-m">How to get an account</h2>
        <p className="govuk-body">
          Ask your organisation&apos;s Lead correspondent. They request accounts for their colleagues in the portal, and
          say which security role each person needs. {operator.teamName} sets up the account and emails you how to sign
          in.
        </p>
        <p className="govuk-body">
          If your organisation does not use the portal yet, or you do not know who your Lead correspondent is, contact{" "}
          {operator.teamName}.
        </p>
      </div>

      <div className="govuk-grid-column-one-third">
        <aside className="portal-related" aria-labelledby="help-heading">
          <h2 className="govuk-heading-s" id="help-heading">
            Get help
          </h2>
          <p className="govuk-body-s">
            {operator.teamName}, {operator.name}
          </p>
          <ContactDetails contact={operatorContact(operator)} className="govuk-list govuk-body-s" />
          <h2 className="govuk-heading-s">Your information</h2>
          <ul className="govuk-list govuk-body-s">
            <li>
              <Link className="govuk-link" href="/privacy">
                How we use your information
              </Link>
            </li>
            <li>
              <Link className="govuk-link" href="/cookies">
                Cookies
              </Link>
            </li>
            <li>
              <Link className="govuk-link" href="/policies">
                Policies
              </Link>
            </li>
            <li>
              <Link className="govuk-link" href="/accessibility">
                Accessibility statement
              </Link>
            </li>
          </ul>
        </aside>
      </div>
    </div>
  );
}
