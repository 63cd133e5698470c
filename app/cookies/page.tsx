import Link from "next/link";
import type { Metadata } from "next";
import { AUTH_COOKIE } from "@/lib/auth/next-auth";
import { getConfig } from "@/lib/config";
import { PageTitle } from "../_components/page-title";
import { Table } from "../_components/table";
import { ATTEMPT_COOKIE } from "../_lib/sign-in-cookie";

export const metadata: Metadata = { title: "Cookies" };

interface CookieRow {
  name: string;
  purpose: string;
  expires: string;
}

// GET /cookies — the cookie statement (PRIV-7): the only cookies are the two strictly necessary
// ones, named from the constants the sign-in code sets them with, so the page cannot drift.
export default function CookiesPage() {
  const { operator, sessions } = getConfig();
  const cookies: CookieRow[] = [
    {
      name: ATTEMPT_COOKIE,
      purpose: "Links your browser to your sign-in while you enter your password, then your security number digits and any code we email you.",
      expires: "When you close your browser",
    },
    {
      name: AUTH_COOKIE,
      purpose: "Keeps you signed in. It holds only a reference to your signed-in session, not your name or any other details.",
      expires: "When you sign out or close your browser",
    },
  ];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageTitle caption={operator.shortName}>Cookies</PageTitle>
        <p className="govuk-body-l">
          Cookies are small files saved on your phone, tablet or computer when you visit a website.
        </p>
        <p className="govuk-body">
          The {operator.shortName} only uses cookies that are strictly necessary for it to work. It sets no analytics,
          advertising or tracking cookies, and none from other websites, so we do not ask you to accept cookies.
        </p>

        <h2 className="govuk-heading-m">Strictly necessary cookies</h2>
        <p className="govuk-body">The portal sets these {cookies.length} cookies, and no others:</p>
        <Table<CookieRow>
          caption="Cookies this site sets"
          captionHidden
          rowKey={(row) => row.name}
          rows={cookies}
          columns={[
            { key: "name", header: "Name", label: "Name", cell: (row) => <code className="portal-break-anywhere">{row.name}</code> },
            { key: "purpose", header: "Purpose", label: "Purpose", cell: (row) => row.purpose },
            { key: "expires", header: "Expires", label: "Expires", cell: (row) => row.expires },
          ]}
        />
        <p className="govuk-body">
          Your signed-in session also ends after {sessions.idleMinutes} minutes without activity, and{" "}
          {sessions.absoluteHours} hours after you signed in, whichever comes first.
        </p>

        <h2 className="govuk-heading-m">How these cookies are protected</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>They cannot be read by scripts running in the page (they are HttpOnly).</li>
          <li>
            Your browser does not send them with requests that other websites start, except when you follow a link to
            the portal (they are SameSite=Lax).
          </li>
          <li>On the live service they are only ever sent over an encrypted connection (they are Secure).</li>
          <li>
            They have no expiry date, so your browser deletes them when you close it. Nothing is kept on your device
            between visits.
          </li>
        </ul>

        <h2 className="govuk-heading-m">If you block cookies</h2>
        <p className="govuk-body">
          You can read the public pages of the portal without cookies, but you cannot sign in. If you have a problem
          signing in, contact {operator.teamName}.
        </p>

        <p className="govuk-body">
          <Link className="govuk-link" href="/privacy">
            Read how we use your information
          </Link>
        </p>
      </div>
    </div>
  );
}
