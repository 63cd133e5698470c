import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { PageTitle } from "../_components/page-title";
import { requireViewer } from "../_lib/viewer";

export const metadata: Metadata = { title: "Back office" };

// GET /staff — the back office's home for operator staff: the tools their role opens.
export default async function StaffHomePage() {
  const viewer = await requireViewer();
  if (viewer.audience !== "operator") notFound();
  const tools = [
    can(viewer, "requests", "edit") && { href: "/staff/sign-in-locks", title: "Sign-in locks", text: "Accounts and addresses locked after repeated failed sign-ins; lift a lock." },
    can(viewer, "outbox") && { href: "/staff/outbox", title: "Outbox", text: "Every email the portal has sent or queued, such as set-up links and security reports." },
  ].filter((t): t is { href: string; title: string; text: string } => Boolean(t));
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Back office</PageTitle>
      {tools.length ? (
        <ul className="govuk-list">
          {tools.map((t) => (
            <li key={t.href} className="govuk-!-margin-bottom-4">
              <Link className="govuk-link govuk-link--no-visited-state govuk-!-font-weight-bold" href={t.href}>
                {t.title}
              </Link>
              <p className="govuk-body govuk-!-margin-bottom-0">{t.text}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">Your staff role opens no back-office tools. Ask a team lead if you need one.</p>
      )}
      <p className="govuk-body">
        <Link className="govuk-link" href="/account">
          Your account and sign-in details
        </Link>
      </p>
    </>
  );
}
