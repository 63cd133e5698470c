import type { Metadata } from "next";
import { BackLink } from "../../_components/back-link";
import { PageTitle } from "../../_components/page-title";
import { portal } from "../../_lib/portal";
import { requireViewer } from "../../_lib/viewer";
import { reportCompromised } from "./actions";
import { CompromiseForm } from "./compromise-form";

export const metadata: Metadata = { title: "My account may be compromised" };

// GET /account/compromised — UAP-3.3: report that sign-in details may be known to someone else.
export default async function CompromisedPage() {
  await requireViewer({ skipPolicyCheck: true });
  const { config } = await portal();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/account">Your account</BackLink>
        <PageTitle>My account may be compromised</PageTitle>
        <p className="govuk-body">
          If you think someone else knows your password or security number, change both now. When you do:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>every session of yours ends, on every device, including this one</li>
          <li>{config.operator.teamName} receive a security report so they can check your account&apos;s recent activity</li>
        </ul>
        <CompromiseForm action={reportCompromised} minimumPasswordLength={config.signIn.minimumPasswordLength} />
      </div>
    </div>
  );
}
