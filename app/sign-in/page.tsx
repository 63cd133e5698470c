import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signInFailedMessage } from "@/lib/auth/messages";
import { passwordStepMessages } from "@/lib/auth/sign-in/start-sign-in";
import { policiesToAccept } from "@/lib/auth/policy-acceptance";
import { NotificationBanner } from "../_components/notification-banner";
import { PageTitle } from "../_components/page-title";
import { portal } from "../_lib/portal";
import { getViewer } from "../_lib/viewer";
import { fieldErrorsFrom } from "./_lib/form-errors";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Sign in" };

// GET /sign-in — step 1 of sign-in: email and password (posted to POST /sign-in/password).
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getViewer()) redirect("/home");
  const params = await searchParams;
  const { config } = await portal();
  const failure = params.failed ? signInFailedMessage(config) : params.expired ? "Your sign-in took too long and has expired. Start again." : undefined;
  const aup = policiesToAccept(config)[0];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {params.reset && (
          <NotificationBanner type="success" heading="Your new details are saved">
            <p className="govuk-body">Sign in with them now. Any session you had open has ended.</p>
          </NotificationBanner>
        )}
        <PageTitle>Sign in</PageTitle>
        <p className="govuk-body">
          Signing in takes two steps: your password, then some digits of your 6-digit security number.
          {config.network.trustedNetworks.length > 0 && " Outside your organisation's trusted network we will also email you a code."}
        </p>
        <PasswordForm failure={failure} fieldErrors={fieldErrorsFrom(params.error, passwordStepMessages)} />
        <div className="govuk-inset-text" data-testid="terms-statement">
          By signing in you confirm that you accept and will abide by the terms of use of this system
          {aup && (
            <>
              {" "}— the <Link href="/policies" className="govuk-link">{aup.title}</Link> (version {aup.version})
            </>
          )}
          .
        </div>
        <h2 className="govuk-heading-s">Problems signing in</h2>
        <ul className="govuk-list">
          <li>
            <Link href="/reset" className="govuk-link">I have forgotten my password or security number</Link>
          </li>
          <li>
            If you do not have an account, ask your organisation&apos;s Lead correspondent to request one for you.
          </li>
          <li>
            If your account has been suspended, email <a className="govuk-link" href={`mailto:${config.operator.mailbox}`}>{config.operator.mailbox}</a> from
            your account&apos;s own email address to ask for it to be reinstated.
          </li>
        </ul>
      </div>
    </div>
  );
}
