import type { Metadata } from "next";
import Link from "next/link";
import { LINK_NOT_VALID, setupLinkAccount } from "@/lib/auth/account-setup/complete-account-setup";
import { policiesToAccept } from "@/lib/auth/policy-acceptance";
import { PageTitle } from "../../_components/page-title";
import { deps } from "../../_lib/portal";
import { completeSetup } from "./actions";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up your account", referrer: "no-referrer" };

// GET /set-up/:token — CC-6: the emailed single-use link (72 hours) to set up a new account.
export default async function SetUpPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const d = await deps();
  const account = await setupLinkAccount(d, token);
  if (!account) {
    return (
      <>
        <PageTitle>This link cannot be used</PageTitle>
        <p className="govuk-body">{LINK_NOT_VALID}</p>
        <p className="govuk-body">
          If you have already set up your account, <Link className="govuk-link" href="/sign-in">sign in</Link>.
        </p>
      </>
    );
  }
  const policies = policiesToAccept(d.config);
  const policyLabel = policies.length
    ? `I have read and accept the ${policies.map((p) => `${p.title} (version ${p.version})`).join(" and ")}`
    : "I will use the portal only for my work";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={account.email}>Set up your account</PageTitle>
        <p className="govuk-body">
          Welcome, {account.fullName}. Choose the password and security number you will sign in with. This link works once.
        </p>
        {policies.length > 0 && (
          <p className="govuk-body">
            Before you use the portal, read the{" "}
            {policies.map((p, i) => (
              <span key={p.key}>
                {i > 0 && " and the "}
                <Link className="govuk-link" href={`/policies/${p.key}`} target="_blank" rel="noreferrer">
                  {p.title} (opens in a new tab)
                </Link>
              </span>
            ))}
            .
          </p>
        )}
        <SetupForm action={completeSetup.bind(null, token)} minimumPasswordLength={d.config.signIn.minimumPasswordLength} policyLabel={policyLabel} />
      </div>
    </div>
  );
}
