// GET /portal/purchase-orders/[id]/export — the order's line items as CSV (AUP-4.1); needs
// purchase_orders read and the order within need to know; recorded as purchase_order.exported (AUP-5.2f).
import { can } from "@/lib/auth/permissions";
import { careScope } from "@/lib/care/need-to-know";
import { AppError } from "@/lib/errors";
import { exportPurchaseOrderLines } from "@/lib/purchase-orders/export-lines";
import { portal } from "../../../../_lib/portal";
import { webActor } from "../../../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../../../_lib/viewer";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const path = `/portal/purchase-orders/${id}/export`;
  const viewer = await requireViewer();
  if (viewer.audience !== "provider" || !can(viewer, "purchase_orders", "read")) {
    await auditRefusal(viewer, { kind: "purchase_orders", level: "read", path });
    return notFound();
  }
  const { database, config, clock } = await portal();
  // Built whole before sending, so the export is recorded before any of it leaves (5,000 lines is about 400 KB).
  const chunks: string[] = [];
  try {
    const result = await exportPurchaseOrderLines({
      db: database.db,
      actor: await webActor(config, viewer),
      clock,
      scope: careScope({ organisationId: viewer.organisationId, clock, config }),
      purchaseOrderId: id,
      write: (chunk) => void chunks.push(chunk),
    });
    return new Response(chunks.join(""), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${result.fileName}"`, "Cache-Control": "no-store" },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      await auditRefusal(viewer, { kind: "purchase_orders", level: "read", path });
      return notFound();
    }
    throw error;
  }
}
