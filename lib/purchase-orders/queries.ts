import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { carePackages, individuals, purchaseOrderLines, purchaseOrders } from "../db/schema/care";
import type { Executor } from "../db/types";
import { visiblePackages, type CareScope } from "../care/need-to-know";
import type { PurchaseOrderFilters } from "./schema";

/**
 * Read models of purchase orders (AUP-2.1b) for a provider: only orders of packages the
 * organisation currently provides (lib/care/need-to-know). A list page reads one
 * organisation's orders through purchase_orders_organisation_idx.
 */

export const PURCHASE_ORDER_PAGE_SIZE = 25;
export const LINE_PAGE_SIZE = 100;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function listWhere(scope: CareScope, filters: PurchaseOrderFilters): SQL {
  const conditions: SQL[] = [eq(purchaseOrders.organisationId, scope.organisationId), visiblePackages(scope)];
  if (filters.status !== "all") conditions.push(eq(purchaseOrders.status, filters.status));
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    conditions.push(or(ilike(purchaseOrders.number, like), ilike(individuals.fullName, like), ilike(carePackages.service, like))!);
  }
  return and(...conditions)!;
}

export interface PurchaseOrderListRow {
  id: string;
  number: string;
  status: string;
  periodFrom: string;
  periodTo: string | null;
  totalPence: number;
  lineCount: number;
  service: string;
  individualName: string;
  packageStatus: string;
}

export async function listPurchaseOrders(db: Executor, scope: CareScope, filters: PurchaseOrderFilters, pageSize = PURCHASE_ORDER_PAGE_SIZE) {
  const where = listWhere(scope, filters);
  const base = () =>
    db
      .select({
        id: purchaseOrders.id,
        number: purchaseOrders.number,
        status: purchaseOrders.status,
        periodFrom: purchaseOrders.periodFrom,
        periodTo: purchaseOrders.periodTo,
        totalPence: purchaseOrders.totalPence,
        lineCount: purchaseOrders.lineCount,
        service: carePackages.service,
        individualName: individuals.fullName,
        packageStatus: carePackages.status,
      })
      .from(purchaseOrders)
      .innerJoin(carePackages, eq(carePackages.id, purchaseOrders.carePackageId))
      .innerJoin(individuals, eq(individuals.id, carePackages.individualId));
  const [rows, [counted]] = await Promise.all([
    base()
      .where(where)
      .orderBy(desc(purchaseOrders.periodFrom), asc(purchaseOrders.id))
      .limit(pageSize)
      .offset((filters.page - 1) * pageSize),
    db
      .select({ n: count() })
      .from(purchaseOrders)
      .innerJoin(carePackages, eq(carePackages.id, purchaseOrders.carePackageId))
      .innerJoin(individuals, eq(individuals.id, carePackages.individualId))
      .where(where),
  ]);
  const total = counted?.n ?? 0;
  return { rows: rows as PurchaseOrderListRow[], total, page: filters.page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** One order the organisation may see, with its package and individual; null otherwise (shown as not found). */
export async function getPurchaseOrder(db: Executor, scope: CareScope, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db
    .select({ order: purchaseOrders, pkg: carePackages, individual: individuals })
    .from(purchaseOrders)
    .innerJoin(carePackages, eq(carePackages.id, purchaseOrders.carePackageId))
    .innerJoin(individuals, eq(individuals.id, carePackages.individualId))
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.organisationId, scope.organisationId), visiblePackages(scope)));
  return row ?? null;
}

export type PurchaseOrderLine = typeof purchaseOrderLines.$inferSelect;

/** A page of an order's lines, in period order. */
export async function listPurchaseOrderLines(db: Executor, purchaseOrderId: string, page: number, pageSize = LINE_PAGE_SIZE): Promise<PurchaseOrderLine[]> {
  return db
    .select()
    .from(purchaseOrderLines)
    .where(eq(purchaseOrderLines.purchaseOrderId, purchaseOrderId))
    .orderBy(asc(purchaseOrderLines.periodFrom), asc(purchaseOrderLines.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
}

/** Lines after a keyset position, for exports that read a chunk at a time. */
export async function purchaseOrderLinesAfter(db: Executor, purchaseOrderId: string, after: { periodFrom: string; id: string } | null, limit: number): Promise<PurchaseOrderLine[]> {
  const position = after ? sql`(${purchaseOrderLines.periodFrom}, ${purchaseOrderLines.id}) > (${after.periodFrom}::date, ${after.id}::uuid)` : undefined;
  return db
    .select()
    .from(purchaseOrderLines)
    .where(and(eq(purchaseOrderLines.purchaseOrderId, purchaseOrderId), position))
    .orderBy(asc(purchaseOrderLines.periodFrom), asc(purchaseOrderLines.id))
    .limit(limit);
}
