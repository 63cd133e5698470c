// GET /portal/contracts/[id]/signature-page — a signed contract's signature page as a PDF to keep or print
// (contracts:read, AUP-2.1c, AUP-4.1); the export is recorded (AUP-5.2f) before it is sent.
import { exportSignaturePage } from "@/lib/contracts/export-contract";
import { contractIdSchema } from "@/lib/contracts/schema";
import { isAppError } from "@/lib/errors";
import { portal } from "../../../../_lib/portal";
import { webActor } from "../../../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../../../_lib/viewer";
import { notFoundResponse, pdfResponse } from "../../pdf-response";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const path = `/portal/contracts/${id}/signature-page`;
  const viewer = await requireViewer();
  const contractId = contractIdSchema.safeParse(id);
  const { database, config, clock } = await portal();
  if (viewer.audience !== "provider" || !contractId.success) {
    await auditRefusal(viewer, { path, kind: "contracts" });
    return notFoundResponse();
  }
  try {
    const { fileName, pdf } = await exportSignaturePage({ db: database.db, actor: await webActor(config, viewer), clock, config, viewer, contractId: contractId.data });
    return pdfResponse(pdf, fileName, "attachment");
  } catch (error) {
    if (!isAppError(error) || error.code !== "not_found") throw error;
    await auditRefusal(viewer, { path, kind: "contracts" });
    return notFoundResponse();
  }
}
