import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { careScope } from "@/lib/care/need-to-know";
import { getRemittance } from "@/lib/payments/queries";
import { formatPounds } from "@/lib/purchase-orders/schema";
import { BackLink } from "../../../../_components/back-link";
import { formatDate } from "../../../../_components/dates";
import { PageTitle } from "../../../../_components/page-title";
import { SummaryList } from "../../../../_components/summary-list";
import { portal } from "../../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../../_lib/viewer";

export const metadata: Metadata = { title: "Remittance advice" };

// GET /portal/payments/remittances/[id] — one remittance advice, the lines the contract's rules allow (AUP-2.1e), with CSV and PDF downloads (AUP-4.1).
export default async function RemittancePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const path = `/portal/payments/remittances/${id}`;
  const viewer = await viewPage(path, { access: { audience: "provider", kind: "payments", level: "read" } });
  const { database, config, clock } = await portal();
  const found = await getRemittance(database.db, careScope({ organisationId: viewer.organisationId, clock, config }), id);
  if (!found) {
    await auditRefusal(viewer, { kind: "payments", level: "read", path });
    notFound();
  }
  const { advice, lines, totalPence } = found;
  return (
    <>
      <BackLink href="/portal/payments">Payments</BackLink>
      <PageTitle caption={viewer.organisationName}>Remittance advice {advice.reference}</PageTitle>
      <SummaryList
        rows={[
          { key: "Paid on", value: formatDate(advice.paymentDate) },
          { key: "Total", value: formatPounds(totalPence) },
        ]}
      />
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href={`/portal/payments/remittances/${advice.id}/csv`} download data-testid="remittance-csv">
            Download as CSV
          </a>
        </li>
        <li>
          <a className="govuk-link" href={`/portal/payments/remittances/${advice.id}/pdf`} download data-testid="remittance-pdf">
            Download as PDF to print
          </a>
        </li>
      </ul>
      <table className="govuk-table portal-table--stack" data-testid="remittance-lines">
        <caption className="govuk-table__caption govuk-table__caption--s">Lines</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Description</th>
            <th scope="col" className="govuk-table__header">Purchase order</th>
            <th scope="col" className="govuk-table__header">Period</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Amount</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {lines.map((l) => (
            <tr key={l.id} className="govuk-table__row">
              <td className="govuk-table__cell" data-label="Description">{l.description}</td>
              <td className="govuk-table__cell" data-label="Purchase order">{l.purchaseOrderNumber ?? "—"}</td>
              <td className="govuk-table__cell" data-label="Period">
                {l.periodFrom ? `${formatDate(l.periodFrom)}${l.periodTo ? ` to ${formatDate(l.periodTo)}` : ""}` : "—"}
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Amount">{formatPounds(l.amountPence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
