import type { Metadata } from "next";
import Link from "next/link";
import { resetLinkPurpose } from "@/lib/auth/recovery/complete-secret-reset";
import { PageTitle } from "../../_components/page-title";
import { deps } from "../../_lib/portal";
import { chooseNewSecret } from "../actions";
import { NewSecretForm } from "./new-secret-form";

export const metadata: Metadata = { title: "Choose a new secret", referrer: "no-referrer" };

// GET /reset/:token — the emailed single-use reset link.
export default async function ResetLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const d = await deps();
  const which = await resetLinkPurpose(d, token);
  if (!which) {
    return (
      <>
        <PageTitle>This link cannot be used</PageTitle>
        <p className="govuk-body">This reset link has expired or has already been used.</p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/reset">
            Ask for a new link
          </Link>
        </p>
      </>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle>{which === "password" ? "Choose a new password" : "Choose a new security number"}</PageTitle>
        <p className="govuk-body">When you save it, you will be signed out everywhere and can sign in with the new one.</p>
        <NewSecretForm action={chooseNewSecret.bind(null, token)} which={which} minimumPasswordLength={d.config.signIn.minimumPasswordLength} />
      </div>
    </div>
  );
}
