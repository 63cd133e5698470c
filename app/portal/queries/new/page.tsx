import type { Metadata } from "next";
import { queryableIndividuals, queryablePayments } from "@/lib/queries/queries";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { portal } from "../../../_lib/portal";
import { viewPage } from "../../../_lib/viewer";
import { openQueryAction } from "../actions";
import { NewQueryForm } from "../new-query-form";
import { OfficialRecordReminder } from "../thread-messages";

export const metadata: Metadata = { title: "Send a query" };

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

// GET /portal/queries/new — a new query about a person whose care the organisation provides, or a payment (queries:edit).
export default async function NewQueryPage() {
  const viewer = await viewPage("/portal/queries/new", { access: { audience: "provider", kind: "queries", level: "edit" } });
  const { database, clock, config } = await portal();
  const [people, payments] = await Promise.all([queryableIndividuals(database.db, viewer, clock, config), queryablePayments(database.db, viewer)]);
  return (
    <>
      <BackLink href="/portal/queries" />
      <PageTitle caption={viewer.organisationName}>Send a query</PageTitle>
      <p className="govuk-body">Only people whose care your organisation provides are listed. Do not look up your own or colleagues&apos; information.</p>
      <OfficialRecordReminder />
      <NewQueryForm
        action={openQueryAction}
        individuals={people.map((p) => ({ value: p.id, label: p.fullName }))}
        payments={payments.map((p) => ({ value: p.id, label: `${p.reference}, due ${p.dueDate}, ${pounds(p.amountPence)}` }))}
      />
    </>
  );
}
