import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/config";
import { operatorContact } from "./_components/contact-details";
import { OperatorContactProvider } from "./_components/operator-contact";
import { SiteFooter } from "./_components/site-footer";
import { SignedInAccount, SiteHeader } from "./_components/site-header";
import { navigationFor } from "@/lib/navigation/navigation";
import { getViewer } from "./_lib/viewer";
import { signOut } from "./sign-out/actions";

/*
 * The stylesheets are static files copied into public/ by scripts/copy-govuk-assets.mjs
 * (govuk-frontend's CSS cannot go through Next's bundler). GOV.UK Frontend's JavaScript is
 * not loaded: every page works server-rendered.
 */
const stylesheets = ["/govuk/govuk-frontend.min.css", "/portal.css"];

export async function generateMetadata(): Promise<Metadata> {
  const { operator } = getConfig();
  return {
    title: { template: `%s – ${operator.shortName}`, default: operator.shortName },
    description: `${operator.name}: the portal its contracted care providers' staff use to see purchase orders, contracts, payments and queries.`,
    applicationName: operator.shortName,
    // A portal for named staff only: keep it out of search results.
    robots: { index: false, follow: false },
    formatDetection: { telephone: false },
    // No icon of our own (the crown favicons are GOV.UK's): an empty one saves the browser a
    // request for /favicon.ico that would only find the 404 page.
    icons: { icon: "data:," },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
  themeColor: "#0b0c0c",
};

export default async function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  // The configuration (operator name, mailbox …) is read when a request is served, not
  // baked into the build, so one build serves any deployment's PORTAL_CONFIG.
  await connection();
  const { operator } = getConfig();
  const viewer = await getViewer();
  return (
    <html lang="en" className="govuk-template">
      <head>
        {stylesheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <SiteHeader
          operatorName={operator.name}
          serviceName={operator.shortName}
          serviceUrl={viewer ? "/home" : "/"}
          navigation={viewer ? navigationFor(viewer) : []}
          account={viewer ? <SignedInAccount name={viewer.fullName} signOut={signOut} /> : undefined}
        />
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {/* The error boundary (app/error.tsx) is a client component: it reads the contact from here. */}
            <OperatorContactProvider value={operatorContact(operator)}>{children}</OperatorContactProvider>
          </main>
        </div>
        <SiteFooter operatorName={operator.name} contact={{ teamName: operator.teamName, mailbox: operator.mailbox }} />
      </body>
    </html>
  );
}
