"use client";

/**
 * The last resort, shown when the root layout itself fails (for example when the configuration
 * cannot be read): its own document, with the same stylesheets, and nothing from the
 * configuration, which may be what failed. It never shows the error's message.
 */
export default function GlobalError(_props: { error: unknown; retry: () => void }) {
  return (
    <html lang="en" className="govuk-template">
      <head>
        <title>Sorry, there is a problem with the service</title>
        {/* The root layout links the same static files; GOV.UK's CSS cannot go through the bundler. */}
        {/* eslint-disable-next-line @next/next/no-css-tags */}
        <link rel="stylesheet" href="/govuk/govuk-frontend.min.css" />
        {/* eslint-disable-next-line @next/next/no-css-tags */}
        <link rel="stylesheet" href="/portal.css" />
      </head>
      <body className="govuk-template__body">
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            <div className="govuk-grid-row">
              <div className="govuk-grid-column-two-thirds">
                <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
                <p className="govuk-body">Try again later.</p>
                <p className="govuk-body">If you were sending a form, it may not have been saved.</p>
              </div>
            </div>
          </main>
        </div>
      </body>
    </html>
  );
}
