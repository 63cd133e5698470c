import { stringify } from "csv-stringify/sync";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import type { CareScope } from "../care/need-to-know";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { formatPounds, plainPounds } from "../purchase-orders/schema";
import { getRemittance } from "./queries";

/**
 * A remittance advice as CSV (csv-stringify, formula cells escaped) or PDF (pdf-lib), for
 * AUP-4.1 and AUP-2.1e. Each export is logged (`remittance.exported`, AUP-5.2f) in the
 * transaction that read the advice. The file holds exactly the lines the page shows.
 */

export type RemittanceFormat = "csv" | "pdf";

export async function exportRemittance(options: {
  db: Database;
  actor: Actor;
  clock: Clock;
  scope: CareScope;
  remittanceId: string;
  format: RemittanceFormat;
  organisationName: string;
}): Promise<{ body: Uint8Array; fileName: string; contentType: string; rowCount: number }> {
  const { db, actor, clock, scope, format } = options;
  return db.transaction(async (tx) => {
    const found = await getRemittance(tx, scope, options.remittanceId);
    if (!found) throw new AppError("not_found", `remittance ${options.remittanceId} not visible`, "Page not found");
    const { advice, lines, totalPence } = found;
    const safeRef = advice.reference.replace(/[^A-Za-z0-9-]/g, "_");
    let body: Uint8Array;
    if (format === "csv") {
      const records = [
        ["Advice number", "Payment date", "Line ID", "Description", "Purchase order", "Period from", "Period to", "Amount (GBP)"],
        ...lines.map((l) => [advice.reference, advice.paymentDate, l.sourceId, l.description, l.purchaseOrderNumber ?? "", l.periodFrom ?? "", l.periodTo ?? "", plainPounds(l.amountPence)]),
      ];
      body = new TextEncoder().encode(stringify(records, { bom: true, escape_formulas: true, record_delimiter: "windows" }));
    } else {
      body = await remittancePdf({ organisationName: options.organisationName, reference: advice.reference, paymentDate: advice.paymentDate, lines, totalPence });
    }
    await recordAudit(tx, actor, clock, {
      action: "remittance.exported",
      organisationId: scope.organisationId,
      detail: { remittanceId: advice.id, reference: advice.reference, format, rowCount: lines.length },
    });
    return {
      body,
      fileName: `remittance-${safeRef}.${format}`,
      contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
      rowCount: lines.length,
    };
  });
}

/** The standard fonts encode WinAnsi only: anything else becomes "?" rather than failing the file. */
function winAnsi(text: string): string {
  return text.replace(/[^\u0020-\u007e\u00a0-\u00ff£€]/g, "?");
}

async function remittancePdf(advice: {
  organisationName: string;
  reference: string;
  paymentDate: string;
  totalPence: number;
  lines: { description: string; purchaseOrderNumber: string | null; periodFrom: string | null; periodTo: string | null; amountPence: number }[];
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Remittance advice ${advice.reference}`);
  pdf.setCreator("Provider Portal");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 50;
  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 792;
  const line = (text: string, options: { size?: number; font?: PDFFont; x?: number } = {}) => {
    page.drawText(winAnsi(text), { x: options.x ?? margin, y, size: options.size ?? 10, font: options.font ?? font, color: rgb(0.04, 0.05, 0.05) });
  };
  line("Remittance advice", { size: 20, font: bold });
  y -= 28;
  line(advice.organisationName, { size: 12 });
  y -= 18;
  line(`Advice number: ${advice.reference}`);
  y -= 14;
  line(`Payment date: ${advice.paymentDate}`);
  y -= 24;
  const columns = [margin, margin + 230, margin + 320, margin + 420];
  const header = () => {
    ["Description", "Purchase order", "Period", "Amount"].forEach((h, i) => line(h, { x: columns[i], font: bold }));
    y -= 16;
  };
  header();
  for (const l of advice.lines) {
    if (y < margin + 40) {
      page = pdf.addPage([595, 842]);
      y = 792;
      header();
    }
    line(l.description.slice(0, 42), { x: columns[0] });
    line(l.purchaseOrderNumber ?? "", { x: columns[1] });
    line(l.periodFrom ? `${l.periodFrom}${l.periodTo ? ` to ${l.periodTo.slice(5)}` : ""}` : "", { x: columns[2] });
    line(formatPounds(l.amountPence), { x: columns[3] });
    y -= 14;
  }
  y -= 10;
  line(`Total: ${formatPounds(advice.totalPence)}`, { font: bold, size: 12 });
  return pdf.save();
}
