import type { Metadata } from "next";
import Link from "next/link";
import { careScope } from "@/lib/care/need-to-know";
import { recordCareSearch } from "@/lib/care/record-care-access";
import { purchaseOrderStatuses } from "@/lib/db/schema/care";
import { listPurchaseOrders } from "@/lib/purchase-orders/queries";
import { formatPounds, purchaseOrderFiltersSchema, purchaseOrderStatusNames, type PurchaseOrderFilters } from "@/lib/purchase-orders/schema";
import { formatDate } from "../../_components/dates";
import { PageTitle } from "../../_components/page-title";
import { Pagination } from "../../_components/pagination";
import { Tag } from "../../_components/tag";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { viewPage } from "../../_lib/viewer";
import { LookupReminder } from "./lookup-reminder";

export const metadata: Metadata = { title: "Purchase orders" };

function listHref(filters: PurchaseOrderFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.status !== "live") params.set("status", filters.status);
  if (filters.q) params.set("q", filters.q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return `/portal/purchase-orders${query ? `?${query}` : ""}`;
}

// GET /portal/purchase-orders — purchase orders for the packages of care the organisation currently provides (AUP-2.1b); needs purchase_orders read.
export default async function PurchaseOrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await viewPage("/portal/purchase-orders", { access: { audience: "provider", kind: "purchase_orders", level: "read" } });
  const { database, config, clock } = await portal();
  const raw = await searchParams;
  const filters = purchaseOrderFiltersSchema.parse({ status: raw.status, q: raw.q, page: raw.page });
  if (filters.q && filters.page === 1) {
    // PRIV-2b: the terms without the account; CC-7e: flagged when they name the viewer or a colleague.
    await recordCareSearch({ db: database.db, actor: await webActor(config, viewer), clock, viewer, scope: "purchase orders", terms: { q: filters.q } });
  }
  const scope = careScope({ organisationId: viewer.organisationId, clock, config });
  const list = await listPurchaseOrders(database.db, scope, filters);
  return (
    <>
      <PageTitle caption={viewer.organisationName}>Purchase orders</PageTitle>
      <p className="govuk-body">
        Purchase orders for the packages of care you provide, from the operator&apos;s finance system. Packages that ended more than{" "}
        {config.accounts.endedPackageVisibleDays} days ago are no longer shown.
      </p>
      <LookupReminder />
      <form method="get" action="/portal/purchase-orders" className="govuk-!-margin-bottom-6" role="search" aria-label="Purchase orders">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="q">
            Search by purchase order number, person or service
          </label>
          <input className="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" defaultValue={filters.q} spellCheck={false} />
        </div>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="status">
            Status
          </label>
          <select className="govuk-select" id="status" name="status" defaultValue={filters.status}>
            {purchaseOrderStatuses.map((s) => (
              <option key={s} value={s}>
                {purchaseOrderStatusNames[s]}
              </option>
            ))}
            <option value="all">Any status</option>
          </select>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Show purchase orders
        </button>
      </form>
      {list.rows.length === 0 ? (
        <p className="govuk-body" data-testid="no-purchase-orders">
          No purchase orders match.
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="purchase-orders">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {list.total} {list.total === 1 ? "purchase order" : "purchase orders"}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Purchase order</th>
              <th scope="col" className="govuk-table__header">Person</th>
              <th scope="col" className="govuk-table__header">Service</th>
              <th scope="col" className="govuk-table__header">Period</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Total</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {list.rows.map((row) => (
              <tr key={row.id} className="govuk-table__row" data-number={row.number}>
                <th scope="row" className="govuk-table__header" data-label="Purchase order">
                  <Link className="govuk-link" href={`/portal/purchase-orders/${row.id}`}>
                    {row.number}
                  </Link>
                </th>
                <td className="govuk-table__cell" data-label="Person">{row.individualName}</td>
                <td className="govuk-table__cell" data-label="Service">{row.service}</td>
                <td className="govuk-table__cell" data-label="Period">
                  {formatDate(row.periodFrom)}
                  {row.periodTo ? ` to ${formatDate(row.periodTo)}` : " onwards"}
                </td>
                <td className="govuk-table__cell" data-label="Status">
                  <Tag colour={row.status === "live" ? "green" : "grey"}>{purchaseOrderStatusNames[row.status as keyof typeof purchaseOrderStatusNames] ?? row.status}</Tag>
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Total">
                  {formatPounds(row.totalPence)}
                  <br />
                  <span className="govuk-body-s">
                    {row.lineCount} {row.lineCount === 1 ? "line" : "lines"}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={list.page} pageCount={list.pageCount} href={(p) => listHref(filters, p)} label="Purchase order pages" />
    </>
  );
}
