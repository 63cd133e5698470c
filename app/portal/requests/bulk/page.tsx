import type { Metadata } from "next";
import { licenceUse, licenceYear } from "@/lib/requests/licences";
import { importTemplateGuide } from "@/lib/imports/template";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { bulkUpload } from "./actions";
import { BulkUpload } from "./bulk-upload";

export const metadata: Metadata = { title: "Ask for accounts for many new users" };

// GET /portal/requests/bulk — the Lead correspondent's bulk user request (UCP-BULK-1): template, upload, report, confirm.
export default async function BulkRequestPage() {
  const viewer = await viewPage("/portal/requests/bulk", { access: { audience: "provider", kind: "users", level: "edit" } });
  const { database, config, clock } = await portal();
  const use = await licenceUse(database.db, config, viewer.organisationId, licenceYear(clock.now()));
  const guide = importTemplateGuide(config);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/portal/requests/new">Make a request</BackLink>
        <PageTitle caption={viewer.organisationName}>Ask for accounts for many new users</PageTitle>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <p className="govuk-body">
              Request accounts for many people at once with one spreadsheet. Every row is checked with the same rules as the single form, and you see a
              report before anything is sent.
            </p>
            <p className="govuk-body">
              <a className="govuk-link" href="/portal/requests/bulk-template" download data-testid="bulk-template">
                Download the template (CSV)
              </a>
              , fill in one person a row, and upload it as CSV or Excel (.xlsx). Columns can be in any order.
            </p>
            <p className="govuk-body">
              {use.used} of {use.allocation} licences for {use.year} are in use or requested.
            </p>
            <details className="govuk-details">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">What to put in each column</span>
              </summary>
              <div className="govuk-details__text">
                <dl className="govuk-summary-list">
                  {guide.map((g) => (
                    <div className="govuk-summary-list__row" key={g.column}>
                      <dt className="govuk-summary-list__key">{g.column}</dt>
                      <dd className="govuk-summary-list__value">{g.guidance}</dd>
                    </div>
                  ))}
                </dl>
                <p className="govuk-body">Full name, Email address, Job title and Purpose are needed for every person.</p>
              </div>
            </details>
          </div>
        </div>
        <BulkUpload action={bulkUpload} />
      </div>
    </div>
  );
}
