import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { functionsFor } from "@/lib/navigation/navigation";
import { PageTitle } from "../_components/page-title";
import { SummaryList } from "../_components/summary-list";
import { portal } from "../_lib/portal";
import { viewPage } from "../_lib/viewer";
import { GuidanceBanner } from "./guidance/guidance-banner";

export const metadata: Metadata = { title: "Your portal" };

// GET /portal — a provider user's home: who they are and what their security roles open.
export default async function PortalHomePage() {
  const viewer = await viewPage("/portal");
  if (viewer.audience !== "provider") notFound();
  const { config } = await portal();
  const roles = config.securityRoles.filter((r) => viewer.roleKeys.includes(r.key));
  const opened = functionsFor(viewer);
  return (
    <>
      <GuidanceBanner viewer={viewer} />
      <PageTitle caption={viewer.organisationName}>Welcome, {viewer.fullName}</PageTitle>
      <SummaryList
        rows={[
          { key: "Organisation", value: viewer.organisationName },
          { key: "Email address", value: viewer.email },
          { key: roles.length === 1 ? "Security role" : "Security roles", value: roles.length ? roles.map((r) => r.name).join(", ") : "None" },
        ]}
      />
      <h2 className="govuk-heading-m">What your security role lets you do</h2>
      {opened.length ? (
        <ul className="govuk-list" data-testid="granted-functions">
          {opened.map((entry) => (
            <li key={entry.href}>
              <Link className="govuk-link govuk-!-font-weight-bold" href={entry.href}>
                {entry.text}
              </Link>
              <br />
              {entry.description}
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">
          Your account has no security role yet, so there is nothing to show. Ask your organisation&apos;s Lead correspondent to request
          the role you need.
        </p>
      )}
      <p className="govuk-body">
        <Link className="govuk-link" href="/portal/guidance">
          Guidance on using the portal
        </Link>
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" href="/account">
          Your account and sign-in details
        </Link>
      </p>
    </>
  );
}
