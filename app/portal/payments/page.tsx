import type { Metadata } from "next";
import Link from "next/link";
import { careScope } from "@/lib/care/need-to-know";
import { listRemittances, listScheduledPayments } from "@/lib/payments/queries";
import { formatPounds } from "@/lib/purchase-orders/schema";
import { formatDate } from "../../_components/dates";
import { PageTitle } from "../../_components/page-title";
import { Pagination } from "../../_components/pagination";
import { Tag, type TagColour } from "../../_components/tag";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Payments" };

const paymentStatus: Record<string, { text: string; colour: TagColour }> = {
  scheduled: { text: "Scheduled", colour: "blue" },
  paid: { text: "Paid", colour: "green" },
  held: { text: "Held", colour: "orange" },
  cancelled: { text: "Cancelled", colour: "grey" },
};

// GET /portal/payments — scheduled payments and remittance advices, where the contract's rules allow (AUP-2.1e); needs payments read.
export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await viewPage("/portal/payments", { access: { audience: "provider", kind: "payments", level: "read" } });
  const { database, config, clock } = await portal();
  const scope = careScope({ organisationId: viewer.organisationId, clock, config });
  const rawPage = Number((await searchParams).page);
  const page = Number.isInteger(rawPage) && rawPage >= 1 && rawPage <= 100_000 ? rawPage : 1;
  const [scheduled, advices] = await Promise.all([listScheduledPayments(database.db, scope, page), listRemittances(database.db, scope)]);
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Payments</PageTitle>
      <p className="govuk-body">
        Payments from the operator&apos;s finance system. Payments for a package of care are shown only where its contract allows you to see them.
      </p>
      <h2 className="govuk-heading-m">Scheduled payments</h2>
      {scheduled.rows.length === 0 ? (
        <p className="govuk-body">There are no payments to show.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="scheduled-payments">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Scheduled payments</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Reference</th>
              <th scope="col" className="govuk-table__header">Due</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Amount</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {scheduled.rows.map((p) => (
              <tr key={p.id} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="Reference">{p.reference}</td>
                <td className="govuk-table__cell" data-label="Due">{formatDate(p.dueDate)}</td>
                <td className="govuk-table__cell" data-label="Status">
                  <Tag colour={paymentStatus[p.status]?.colour}>{paymentStatus[p.status]?.text ?? p.status}</Tag>
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Amount">{formatPounds(p.amountPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={scheduled.page} pageCount={scheduled.pageCount} href={(p) => `/portal/payments${p > 1 ? `?page=${p}` : ""}`} label="Payment pages" />
      <h2 className="govuk-heading-m">Remittance advices</h2>
      {advices.length === 0 ? (
        <p className="govuk-body">There are no remittance advices to show.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="remittances">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Remittance advices</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Advice number</th>
              <th scope="col" className="govuk-table__header">Paid on</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Lines</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Total</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {advices.map((a) => (
              <tr key={a.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header" data-label="Advice number">
                  <Link className="govuk-link" href={`/portal/payments/remittances/${a.id}`}>
                    {a.reference}
                  </Link>
                </th>
                <td className="govuk-table__cell" data-label="Paid on">{formatDate(a.paymentDate)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Lines">{a.lineCount}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Total">{formatPounds(a.totalPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
