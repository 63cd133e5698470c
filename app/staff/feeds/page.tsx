import type { Metadata } from "next";
import { PageTitle } from "../../_components/page-title";
import { viewPage } from "../../_lib/viewer";
import { uploadFeed } from "./actions";
import { FeedUpload } from "./feed-upload";

export const metadata: Metadata = { title: "Feeds" };

// GET /staff/feeds — staff upload a file from the finance and care-management system (operator feeds:edit).
export default async function FeedsPage() {
  await viewPage("/staff/feeds", { access: { audience: "operator", kind: "feeds", level: "edit" } });
  return (
    <>
      <PageTitle>Feeds from the finance system</PageTitle>
      <p className="govuk-body">
        Care packages, purchase orders, payments and remittances come from the finance and care-management system. Upload one kind at a time, in
        this order: individuals, care packages, purchase orders, their line items, payments, remittance advices, their lines. Each row is matched on
        its Source ID: new ones are created, changed ones updated, and nothing is ever deleted — a package that has ended arrives with status
        ended. Every import is recorded in the audit log.
      </p>
      <FeedUpload action={uploadFeed} />
    </>
  );
}
