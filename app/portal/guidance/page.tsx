import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { GUIDANCE_PATH } from "@/lib/organisations/lead-guidance";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Using the portal: guidance" };

// GET /portal/guidance — user guidance for provider users, above all a new Lead correspondent (UAP-A.1): what the portal is for, the Lead's duties, requesting and suspending users, reviews.
export default async function GuidancePage() {
  const viewer = await viewPage(GUIDANCE_PATH);
  if (viewer.audience !== "provider") notFound();
  const { config } = await portal();
  const { operator } = config;
  const lead = config.securityRoles.find((r) => r.key === config.leadRoleKey)?.name ?? "Lead correspondent";
  const isLead = viewer.roleKeys.includes(config.leadRoleKey);
  const months = config.accounts.reviewIntervalMonths;
  const contact = `${operator.teamName} at ${operator.mailbox}${operator.telephone ? ` or on ${operator.telephone}` : ""}`;

  return (
    <>
      <PageTitle caption={viewer.organisationName}>Using the {operator.shortName}</PageTitle>
      <p className="govuk-body-l">
        {isLead ? `You are ${viewer.organisationName}'s ${lead}. ` : ""}This guide explains what the portal is for, who looks after its users and how.
      </p>

      <nav aria-labelledby="contents-heading" className="govuk-!-margin-bottom-8">
        <h2 className="govuk-heading-s" id="contents-heading">
          Contents
        </h2>
        <ul className="govuk-list">
          <li>
            <a className="govuk-link" href="#purpose">What the portal is for</a>
          </li>
          <li>
            <a className="govuk-link" href="#lead">The {lead}&apos;s duties</a>
          </li>
          <li>
            <a className="govuk-link" href="#request-users">Asking for new users</a>
          </li>
          <li>
            <a className="govuk-link" href="#leavers">Suspending leavers and changing roles</a>
          </li>
          <li>
            <a className="govuk-link" href="#reviews">Reviewing your users</a>
          </li>
          <li>
            <a className="govuk-link" href="#security">Keeping access safe</a>
          </li>
        </ul>
      </nav>

      <h2 className="govuk-heading-m" id="purpose">
        What the portal is for
      </h2>
      <p className="govuk-body">
        {operator.name} uses the portal to share with its contracted care providers the information they need to care for the people they
        support. Depending on their security role, your staff can:
      </p>
      <ul className="govuk-list govuk-list--bullet">
        <li>keep your organisation&apos;s key staff contacts up to date</li>
        <li>see live purchase orders for the care packages you provide</li>
        <li>review and sign contracts for packages of care</li>
        <li>send queries about people receiving care or about payments, and read the replies</li>
        <li>see scheduled payments and remittances</li>
      </ul>
      <p className="govuk-body">
        Access is for the direct care of the people you support only. {operator.name} controls all access to its data, and everything done in the
        portal is recorded against the person who did it.
      </p>

      <h2 className="govuk-heading-m" id="lead">
        The {lead}&apos;s duties
      </h2>
      <p className="govuk-body">The {lead} is the organisation&apos;s named main contact for the portal. They:</p>
      <ul className="govuk-list govuk-list--bullet">
        <li>ask for accounts for the staff who need one, with the security role each needs, and only for people employed by the organisation</li>
        <li>ask for an account to be suspended as soon as someone leaves or no longer needs it</li>
        <li>ask for a change of security role when someone&apos;s job changes</li>
        <li>review every account of the organisation every {months === 1 ? "month" : `${months} months`}</li>
        <li>tell us about a closure, change of ownership or administration as early as possible</li>
      </ul>
      <p className="govuk-body">
        If the {lead} changes, the outgoing or incoming {lead} asks us in the portal or by email; we confirm by telephone and email before making the
        change.
      </p>

      <h2 className="govuk-heading-m" id="request-users">
        Asking for new users
      </h2>
      <ol className="govuk-list govuk-list--number">
        <li>
          Go to{" "}
          {isLead ? (
            <Link className="govuk-link" href="/portal/users">
              Our users
            </Link>
          ) : (
            "Our users"
          )}{" "}
          and choose &ldquo;Ask for a new user&rdquo;.
        </li>
        <li>Give their full name and their own work email address. Shared mailboxes such as office@ or info@ are refused: each account belongs to one person.</li>
        <li>Choose the security role they need: the least that lets them do their job.</li>
        <li>Say why they need access. Access for research or other secondary purposes is refused.</li>
      </ol>
      <p className="govuk-body">
        We action requests within {config.requests.slaWorkingDays} working days. The new user is sent their username and, in a separate email, a link
        to set their password and security number; you are copied on the username email. Your organisation has a number of licences (accounts) a
        year; you are told by email as it nears the limit.
      </p>

      <h2 className="govuk-heading-m" id="leavers">
        Suspending leavers and changing roles
      </h2>
      <p className="govuk-body">
        When someone leaves, ask for their account to be suspended straight away from Our users: leavers are dealt with first. Accounts are never
        deleted, only suspended; a suspended account can be reinstated if the person asks by email from their own address. An account that is not
        used for {config.accounts.inactivityDays} days is suspended automatically, after a warning.
      </p>

      <h2 className="govuk-heading-m" id="reviews">
        Reviewing your users
      </h2>
      <p className="govuk-body">
        Every {months === 1 ? "month" : `${months} months`} the {lead} is asked to review all of the organisation&apos;s accounts: for each one, keep it,
        change its role or suspend it. Reminders are sent before the review is due, and overdue reviews are followed up.
      </p>

      <h2 className="govuk-heading-m" id="security">
        Keeping access safe
      </h2>
      <ul className="govuk-list govuk-list--bullet">
        <li>Never share your password or security number, and never sign in for someone else.</li>
        <li>Do not look up your own or colleagues&apos; information.</li>
        <li>
          If you think someone knows your password or security number, change both at once from{" "}
          <Link className="govuk-link" href="/account">
            Your account
          </Link>{" "}
          and report it.
        </li>
      </ul>
      <p className="govuk-body">Questions: contact {contact}.</p>
      <p className="govuk-body">
        <Link className="govuk-link" href="/portal">
          Back to your portal home
        </Link>
      </p>
    </>
  );
}
