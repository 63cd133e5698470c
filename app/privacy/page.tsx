import Link from "next/link";
import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { ContactDetails, operatorContact } from "../_components/contact-details";
import { PageTitle } from "../_components/page-title";

export const metadata: Metadata = { title: "Privacy" };

// GET /privacy — the privacy notice (PRIV-4): what is recorded and why, who sees it, how long it
// is kept, your rights, and whom to contact. Every name and address comes from the configuration.
export default function PrivacyPage() {
  const { operator, accounts } = getConfig();
  const { dataProtection: dpo } = operator;
  const addressLines = dpo.postalAddress
    .split(",")
    .map((line) => line.trim())
    .filter(Boolean);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={operator.shortName}>Privacy</PageTitle>
        <p className="govuk-body-l">
          {operator.name} runs the {operator.shortName} and is responsible for the personal data held in it. This page
          explains what we record about you when you use it, why, who can see it and how long we keep it.
        </p>

        <h2 className="govuk-heading-m">What we record about you</h2>
        <p className="govuk-body">To give you an account we need your:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>name</li>
          <li>work email address</li>
          <li>security role, which decides what you can see and do</li>
        </ul>
        <p className="govuk-body">
          We cannot give you an account without all three. Your organisation&apos;s Lead correspondent gives them to us
          when they ask for your account, with the organisation you work for and, where it is needed, your job title,
          the end date of a temporary post, your professional registration and when you last completed information
          governance training.
        </p>
        <p className="govuk-body">
          We also record which versions of our policies you have accepted and when. Your password and security number
          are never stored in a form that anyone, including our staff, can read.
        </p>

        <h2 className="govuk-heading-m">What we log while you use the portal</h2>
        <p className="govuk-body">
          What you do while you are signed in, such as viewing a report or downloading a file, is logged against your
          account, with the date and time and the network address and browser you used. We use this log to monitor use
          of the portal and to investigate any misuse.
        </p>
        <p className="govuk-body">
          Searches are logged anonymously: we keep the words searched for and the time, but not who searched. This
          helps us understand demand for the service.
        </p>

        <h2 className="govuk-heading-m">Why we need it</h2>
        <p className="govuk-body">
          {operator.name} decides who outside the organisation may see its information about care. We use your
          details to give you access that matches your job, to contact you about your account, and to show, if we are
          ever asked, who could see what and when.
        </p>

        <h2 className="govuk-heading-m">Who can see information about you</h2>
        <p className="govuk-body">
          Only authorised staff at {operator.name} can see the information held about users. Your organisation&apos;s
          Lead correspondent can see the accounts of people in your organisation.
        </p>
        <p className="govuk-body">
          Your personal data may be shared with the care providers we work with, and with regulatory and statutory
          bodies that assess {operator.name}&apos;s performance and spending. It may also be shared where the law
          requires it, for example to prevent or detect crime or fraud.
        </p>

        <h2 className="govuk-heading-m">How long we keep it</h2>
        <p className="govuk-body">
          Accounts are never deleted. When you leave, or no longer need the portal, your account is suspended; it can
          be reinstated if you need it again. An account that has not been used to sign in for {accounts.inactivityDays}{" "}
          days is suspended automatically
          {accounts.inactivityWarningDays > 0 && `, and you are emailed a warning ${accounts.inactivityWarningDays} days before`}.
        </p>
        <p className="govuk-body">
          Your account details and the log of what was done with them are kept as the record of who had access to{" "}
          {operator.name}&apos;s information, for as long as its records retention schedule requires.
        </p>

        <h2 className="govuk-heading-m">Keeping your information secure</h2>
        <p className="govuk-body">
          Information passing between your browser and the portal is encrypted (HTTPS). Use an up-to-date browser and
          install its security updates.
        </p>
        <p className="govuk-body">
          The portal only uses the cookies it needs to work.{" "}
          <Link className="govuk-link" href="/cookies">
            Read about the cookies we use
          </Link>
          .
        </p>

        <h2 className="govuk-heading-m">Your rights</h2>
        <p className="govuk-body">Under data protection law you have the right to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>ask for a copy of the personal data we hold about you</li>
          <li>ask us to correct anything that is wrong</li>
          <li>object to how we use your data, or ask us to restrict it</li>
          <li>complain to the Information Commissioner&apos;s Office if you are unhappy with how we use your data</li>
        </ul>
        <p className="govuk-body">
          Ask your Lead correspondent or {operator.teamName} to correct your name, email address or security role. For
          anything else, contact the data protection officer.
        </p>

        <h2 className="govuk-heading-m">Contact us</h2>
        <p className="govuk-body">For problems using the portal, or questions about it, contact {operator.teamName}:</p>
        <ContactDetails contact={operatorContact(operator)} />

        <h3 className="govuk-heading-s">Data protection officer</h3>
        <p className="govuk-body">
          To ask how your personal data is used, or to make a request about it, contact {operator.name}&apos;s data
          protection officer:
        </p>
        <div className="govuk-inset-text portal-contact" data-testid="data-protection-officer">
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{dpo.officer}</p>
          <p className="govuk-body govuk-!-margin-bottom-1">
            Email:{" "}
            <a className="govuk-link portal-break-anywhere" href={`mailto:${dpo.email}`}>
              {dpo.email}
            </a>
          </p>
          {addressLines.length > 0 && (
            <address className="govuk-body portal-address">
              {addressLines.map((line, index) => (
                <span key={index} className="portal-address__line">
                  {line}
                </span>
              ))}
            </address>
          )}
        </div>

        {operator.privacyNoticeUrl && (
          <p className="govuk-body">
            For more about how {operator.name} uses personal data, read its{" "}
            <a className="govuk-link" href={operator.privacyNoticeUrl}>
              privacy notice
            </a>
            .
          </p>
        )}
      </div>
    </div>
  );
}
