import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { ContactDetails, operatorContact } from "../_components/contact-details";
import { PageTitle } from "../_components/page-title";

export const metadata: Metadata = { title: "Accessibility statement" };

// GET /accessibility — the accessibility statement: the standard the portal is built to (WCAG
// 2.2 AA), how it is checked, what is known not to work, and how to report a problem.
export default function AccessibilityPage() {
  const { operator, sessions } = getConfig();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={operator.shortName}>Accessibility statement</PageTitle>
        <p className="govuk-body-l">
          This statement applies to the {operator.shortName}, run by {operator.name}.
        </p>
        <p className="govuk-body">We want as many people as possible to be able to use this service. You should be able to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using your browser or device settings</li>
          <li>zoom in up to 400% without the text spilling off the screen</li>
          <li>use every page on a screen 320 pixels wide without scrolling sideways</li>
          <li>get around the service using just a keyboard</li>
          <li>use the service with speech recognition software</li>
          <li>use the service with a screen reader</li>
          <li>use the service with JavaScript turned off</li>
        </ul>
        <p className="govuk-body">
          The service is built with the GOV.UK Design System&apos;s styles and patterns, which are tested with
          assistive technologies.
        </p>

        <h2 className="govuk-heading-m">Compliance status</h2>
        <p className="govuk-body">
          This service is designed to meet the{" "}
          <a className="govuk-link" href="https://www.w3.org/TR/WCAG22/">
            Web Content Accessibility Guidelines (WCAG) version 2.2
          </a>{" "}
          at level AA. Its pages are tested automatically against WCAG 2.2 AA, and at 320 pixels wide, every time the
          service is built and tested. Automated checks cannot find every problem and the service has not yet had a
          full manual audit, so it is partially compliant, for the reasons listed below.
        </p>

        <h2 className="govuk-heading-m">What we know is not fully accessible</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            Documents you download from the portal, such as PDF copies of contract pages, may not be fully accessible
            to screen reader software. Ask us for the information in another format if you need it.
          </li>
          <li>
            For security, the portal signs you out after {sessions.idleMinutes} minutes without activity, and you
            cannot extend this time. This does not meet WCAG 2.2 success criterion 2.2.1 (timing adjustable).
          </li>
        </ul>

        <h2 className="govuk-heading-m">Feedback and contact information</h2>
        <p className="govuk-body">
          If you need information on this service in a different format, such as accessible PDF, large print, easy read
          or audio, or if you find a problem that is not listed on this page, contact {operator.teamName}:
        </p>
        <ContactDetails contact={operatorContact(operator)} />
        <p className="govuk-body">Tell us the web address of the page and what went wrong.</p>

        <h2 className="govuk-heading-m">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
          (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the &lsquo;accessibility
          regulations&rsquo;). If you are not happy with how we respond to your complaint, contact the{" "}
          <a className="govuk-link" href="https://www.equalityadvisoryservice.com/">
            Equality Advisory and Support Service (EASS)
          </a>
          .
        </p>
      </div>
    </div>
  );
}
