import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { carePackages, payments, remittanceLines, remittances } from "../db/schema/care";
import type { Executor } from "../db/types";
import { qualified, visiblePackages, type CareScope } from "../care/need-to-know";

/**
 * Payments (AUP-2.1e): scheduled payments and remittance advices, shown only where the
 * contract's rules allow. The rule, here once: a payment or remittance line tied to a care
 * package is shown only when that package's contract lets the provider see payments
 * (`payments_visible`, from the feed) and the organisation currently provides it (need to
 * know); one tied to no package is the organisation's own and shown. A remittance advice is
 * shown with the lines its reader may see, and its total is theirs; an advice none of whose
 * lines may be seen is not shown at all.
 */

export const PAYMENT_PAGE_SIZE = 25;

/** The condition on a row's care_package_id column. */
function packageAllowsPayments(scope: CareScope, packageId: typeof payments.carePackageId | typeof remittanceLines.carePackageId): SQL {
  const id = qualified(packageId);
  return sql`(${id} is null or exists (select 1 from ${carePackages} where ${qualified(carePackages.id)} = ${id} and ${qualified(carePackages.paymentsVisible)} and ${visiblePackages(scope)}))`;
}

export function visiblePayments(scope: CareScope): SQL {
  return and(eq(payments.organisationId, scope.organisationId), packageAllowsPayments(scope, payments.carePackageId))!;
}

export async function listScheduledPayments(db: Executor, scope: CareScope, page: number, pageSize = PAYMENT_PAGE_SIZE) {
  const where = visiblePayments(scope);
  const [rows, [counted]] = await Promise.all([
    db
      .select({ id: payments.id, reference: payments.reference, dueDate: payments.dueDate, amountPence: payments.amountPence, status: payments.status })
      .from(payments)
      .where(where)
      .orderBy(desc(payments.dueDate), asc(payments.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(payments).where(where),
  ]);
  const total = counted?.n ?? 0;
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

const visibleLine = (scope: CareScope) => sql`${qualified(remittanceLines.remittanceId)} = ${qualified(remittances.id)} and ${packageAllowsPayments(scope, remittanceLines.carePackageId)}`;

/** The organisation's remittance advices, newest first, with the total and count of the lines its reader may see. */
export async function listRemittances(db: Executor, scope: CareScope, limit = 50) {
  const shown = sql<number>`(select count(*) from ${remittanceLines} where ${visibleLine(scope)})`.mapWith(Number);
  const all = sql<number>`(select count(*) from ${remittanceLines} where ${qualified(remittanceLines.remittanceId)} = ${qualified(remittances.id)})`.mapWith(Number);
  const total = sql<number>`(select coalesce(sum(${remittanceLines.amountPence}), 0) from ${remittanceLines} where ${visibleLine(scope)})`.mapWith(Number);
  const rows = await db
    .select({ id: remittances.id, reference: remittances.reference, paymentDate: remittances.paymentDate, lineCount: shown, allLines: all, totalPence: total })
    .from(remittances)
    .where(eq(remittances.organisationId, scope.organisationId))
    .orderBy(desc(remittances.paymentDate), asc(remittances.id))
    .limit(limit);
  return rows.filter((r) => r.lineCount > 0 || r.allLines === 0);
}

/** One remittance advice with the lines its reader may see; null when it is not theirs to see. */
export async function getRemittance(db: Executor, scope: CareScope, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [advice] = await db
    .select()
    .from(remittances)
    .where(and(eq(remittances.id, id), eq(remittances.organisationId, scope.organisationId)));
  if (!advice) return null;
  const lines = await db
    .select({
      id: remittanceLines.id,
      sourceId: remittanceLines.sourceId,
      description: remittanceLines.description,
      purchaseOrderNumber: remittanceLines.purchaseOrderNumber,
      periodFrom: remittanceLines.periodFrom,
      periodTo: remittanceLines.periodTo,
      amountPence: remittanceLines.amountPence,
    })
    .from(remittanceLines)
    // visibleLine correlates on remittances.id: join the advice in.
    .innerJoin(remittances, eq(remittances.id, remittanceLines.remittanceId))
    .where(and(eq(remittances.id, advice.id), visibleLine(scope)))
    .orderBy(asc(remittanceLines.periodFrom), asc(remittanceLines.id));
  const [all] = await db.select({ n: count() }).from(remittanceLines).where(eq(remittanceLines.remittanceId, advice.id));
  if (lines.length === 0 && (all?.n ?? 0) > 0) return null;
  return { advice, lines, totalPence: lines.reduce((sum, l) => sum + l.amountPence, 0) };
}
