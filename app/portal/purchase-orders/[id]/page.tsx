import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { careScope } from "@/lib/care/need-to-know";
import { recordIndividualView } from "@/lib/care/record-care-access";
import { getPurchaseOrder, LINE_PAGE_SIZE, listPurchaseOrderLines } from "@/lib/purchase-orders/queries";
import { formatPounds, purchaseOrderStatusNames } from "@/lib/purchase-orders/schema";
import { BackLink } from "../../../_components/back-link";
import { formatDate } from "../../../_components/dates";
import { PageTitle } from "../../../_components/page-title";
import { Pagination } from "../../../_components/pagination";
import { SummaryList } from "../../../_components/summary-list";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { LookupReminder } from "../lookup-reminder";

export const metadata: Metadata = { title: "Purchase order" };

// GET /portal/purchase-orders/[id] — one purchase order with its line items (AUP-2.1b); the view of the person's record is logged (PRIV-2a).
export default async function PurchaseOrderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const path = `/portal/purchase-orders/${id}`;
  const viewer = await viewPage(path, { access: { audience: "provider", kind: "purchase_orders", level: "read" } });
  const { database, config, clock } = await portal();
  const scope = careScope({ organisationId: viewer.organisationId, clock, config });
  const found = await getPurchaseOrder(database.db, scope, id);
  if (!found) {
    // Another organisation's order, one whose package dropped out of need to know, or none: the same answer.
    await auditRefusal(viewer, { kind: "purchase_orders", level: "read", path });
    notFound();
  }
  const { order, pkg, individual } = found;
  await recordIndividualView({ db: database.db, actor: await webActor(config, viewer), clock, viewer, individual, path });
  const rawPage = Number((await searchParams).page);
  const pageCount = Math.max(1, Math.ceil(order.lineCount / LINE_PAGE_SIZE));
  const page = Number.isInteger(rawPage) && rawPage >= 1 && rawPage <= pageCount ? rawPage : 1;
  const lines = await listPurchaseOrderLines(database.db, order.id, page);
  return (
    <>
      <BackLink href="/portal/purchase-orders">Purchase orders</BackLink>
      <PageTitle caption={viewer.organisationName}>Purchase order {order.number}</PageTitle>
      <LookupReminder />
      <SummaryList
        rows={[
          { key: "Person receiving care", value: individual.fullName },
          { key: "Date of birth", value: individual.dateOfBirth ? formatDate(individual.dateOfBirth) : "Not given" },
          { key: "NHS number", value: individual.nhsNumber ? individual.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1 $2 $3") : "Not given" },
          { key: "Service", value: pkg.service },
          { key: "Care package", value: `${pkg.status === "active" ? "Active" : "Ended"} — started ${formatDate(pkg.startDate)}${pkg.endDate ? `, ${pkg.status === "active" ? "ends" : "ended"} ${formatDate(pkg.endDate)}` : ""}` },
          { key: "Status", value: purchaseOrderStatusNames[order.status] },
          { key: "Period", value: `${formatDate(order.periodFrom)}${order.periodTo ? ` to ${formatDate(order.periodTo)}` : " onwards"}` },
          { key: "Total", value: `${formatPounds(order.totalPence)} (${order.lineCount} ${order.lineCount === 1 ? "line" : "lines"})` },
        ]}
      />
      <h2 className="govuk-heading-m">Line items</h2>
      <p className="govuk-body">
        <a className="govuk-link" href={`/portal/purchase-orders/${order.id}/export`} download data-testid="export-lines">
          Download the line items (CSV)
        </a>
        <span className="govuk-body-s"> — downloads are recorded.</span>
      </p>
      {lines.length === 0 ? (
        <p className="govuk-body">This purchase order has no line items yet.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="purchase-order-lines">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Line items of {order.number}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Service</th>
              <th scope="col" className="govuk-table__header">Period</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Units</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Rate</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Cost</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {lines.map((line) => (
              <tr key={line.id} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="Service">{line.service}</td>
                <td className="govuk-table__cell" data-label="Period">
                  {formatDate(line.periodFrom)} to {formatDate(line.periodTo)}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Units">
                  {line.units} {line.unit}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Rate">
                  {formatPounds(line.ratePence)} per {line.unit}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Cost">{formatPounds(line.costPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pageCount} href={(p) => `/portal/purchase-orders/${order.id}${p > 1 ? `?page=${p}` : ""}`} label="Line item pages" />
    </>
  );
}
