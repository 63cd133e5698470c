// GET /portal/contracts/[id]/document — the contract's PDF for a reader of the organisation's contracts (contracts:read);
// the download is recorded (AUP-5.2f) before it is sent.
import { downloadContractDocument } from "@/lib/contracts/export-contract";
import { contractIdSchema } from "@/lib/contracts/schema";
import { isAppError } from "@/lib/errors";
import { portal } from "../../../../_lib/portal";
import { webActor } from "../../../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../../../_lib/viewer";
import { notFoundResponse, pdfResponse } from "../../pdf-response";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const path = `/portal/contracts/${id}/document`;
  const viewer = await requireViewer();
  const contractId = contractIdSchema.safeParse(id);
  const { database, config, clock } = await portal();
  if (viewer.audience !== "provider" || !contractId.success) {
    await auditRefusal(viewer, { path, kind: "contracts" });
    return notFoundResponse();
  }
  try {
    const { fileName, document } = await downloadContractDocument({ db: database.db, actor: await webActor(config, viewer), clock, viewer, contractId: contractId.data });
    return pdfResponse(document, fileName, "inline");
  } catch (error) {
    if (!isAppError(error) || error.code !== "not_found") throw error;
    await auditRefusal(viewer, { path, kind: "contracts" });
    return notFoundResponse();
  }
}
