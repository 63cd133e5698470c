import { stringify } from "csv-stringify/sync";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import type { CareScope } from "../care/need-to-know";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { getPurchaseOrder, purchaseOrderLinesAfter, type PurchaseOrderLine } from "./queries";
import { plainPounds } from "./schema";

/**
 * AUP-4.1: a purchase order's line items as CSV (csv-stringify, with cells a spreadsheet would
 * run as formulas escaped — service names come from outside). AUP-5.2f: the export is logged
 * (`purchase_order.exported`: who, which order, how many lines) in the transaction that read
 * the lines, so a file the log does not know about cannot be made.
 */

export const lineCsvColumns: { header: string; value: (line: PurchaseOrderLine, number: string) => string }[] = [
  { header: "Purchase order", value: (_, number) => number },
  { header: "Line ID", value: (l) => l.sourceId },
  { header: "Service", value: (l) => l.service },
  { header: "Units", value: (l) => l.units },
  { header: "Unit", value: (l) => l.unit },
  { header: "Rate (GBP)", value: (l) => plainPounds(l.ratePence) },
  { header: "Period from", value: (l) => l.periodFrom },
  { header: "Period to", value: (l) => l.periodTo },
  { header: "Cost (GBP)", value: (l) => plainPounds(l.costPence) },
];

const CHUNK = 2_000;

export async function exportPurchaseOrderLines(options: {
  db: Database;
  actor: Actor;
  clock: Clock;
  scope: CareScope;
  purchaseOrderId: string;
  write: (chunk: string) => void | Promise<void>;
}): Promise<{ rowCount: number; fileName: string }> {
  const { db, actor, clock, scope, write } = options;
  return db.transaction(async (tx) => {
    const found = await getPurchaseOrder(tx, scope, options.purchaseOrderId);
    if (!found) throw new AppError("not_found", `purchase order ${options.purchaseOrderId} not visible`, "Page not found");
    const number = found.order.number;
    await write(stringify([lineCsvColumns.map((c) => c.header)], { bom: true, record_delimiter: "windows" }));
    let rowCount = 0;
    let after: { periodFrom: string; id: string } | null = null;
    for (;;) {
      const lines = await purchaseOrderLinesAfter(tx, found.order.id, after, CHUNK);
      if (lines.length === 0) break;
      rowCount += lines.length;
      await write(stringify(lines.map((l) => lineCsvColumns.map((c) => c.value(l, number))), { escape_formulas: true, record_delimiter: "windows" }));
      const last = lines.at(-1)!;
      after = { periodFrom: last.periodFrom, id: last.id };
      if (lines.length < CHUNK) break;
    }
    await recordAudit(tx, actor, clock, {
      action: "purchase_order.exported",
      organisationId: scope.organisationId,
      detail: { purchaseOrderId: found.order.id, number, format: "csv", rowCount },
    });
    return { rowCount, fileName: `purchase-order-${number.replace(/[^A-Za-z0-9-]/g, "_")}-lines.csv` };
  });
}
