import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { PageTitle } from "../_components/page-title";

export const metadata: Metadata = { title: "Privacy" };

// GET /privacy — the privacy notice (PRIV-4): what is recorded, who sees it, whom to contact.
export default function PrivacyPage() {
  const { operator } = getConfig();
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
          {operator.name} runs the {operator.shortName}. This page explains what we record about you when you use it,
          and why.
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
          when they ask for your account.
        </p>

        <h2 className="govuk-heading-m">What we log while you use the portal</h2>
        <p className="govuk-body">
          What you do while you are signed in, such as viewing a report or downloading a file, is logged against your
          account. We use this log to monitor use of the portal and to investigate any misuse.
        </p>
        <p className="govuk-body">
          Searches are logged anonymously: we keep the words searched for and the time, but not who searched. This
          helps us understand demand for the service.
        </p>

        <h2 className="govuk-heading-m">Who can see information about you</h2>
        <p className="govuk-body">
          Only authorised staff at {operator.name} can see the information held about users. Your organisation&apos;s
          Lead correspondent can see the accounts of people in your organisation.
        </p>
        <p className="govuk-body">
          Your personal data may be shared with the care providers we work with, and with regulatory and statutory
          bodies that assess the council&apos;s performance and spending. It may also be shared where the law requires
          it, for example to prevent or detect crime or fraud.
        </p>

        <h2 className="govuk-heading-m">Keeping your information secure</h2>
        <p className="govuk-body">
          Information passing between your browser and the portal is encrypted (HTTPS). Use an up-to-date browser and
          install its security updates.
        </p>
        <p className="govuk-body">
          The portal only uses the cookies it needs to work.{" "}
          <a className="govuk-link" href="/cookies">
            Read about the cookies we use
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Contact us</h2>
        <p className="govuk-body">
          For problems using the portal, or questions about it, contact {operator.teamName}:
        </p>
        <p className="govuk-body">
          <a className="govuk-link portal-break-anywhere" href={`mailto:${operator.mailbox}`} data-testid="operator-mailbox">
            {operator.mailbox}
          </a>
        </p>

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
