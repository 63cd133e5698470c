import "server-only";
import { can } from "@/lib/auth/permissions";
import { careScope } from "@/lib/care/need-to-know";
import { AppError } from "@/lib/errors";
import { exportRemittance, type RemittanceFormat } from "@/lib/payments/export-remittance";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../_lib/viewer";

const notFound = () => new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** The two download routes of a remittance advice: payments read, the advice the viewer's to see, the export recorded (AUP-5.2f). */
export async function remittanceDownload(id: string, format: RemittanceFormat): Promise<Response> {
  const path = `/portal/payments/remittances/${id}/${format}`;
  const viewer = await requireViewer();
  if (viewer.audience !== "provider" || !can(viewer, "payments", "read")) {
    await auditRefusal(viewer, { kind: "payments", level: "read", path });
    return notFound();
  }
  const { database, config, clock } = await portal();
  try {
    const file = await exportRemittance({
      db: database.db,
      actor: await webActor(config, viewer),
      clock,
      scope: careScope({ organisationId: viewer.organisationId, clock, config }),
      remittanceId: id,
      format,
      organisationName: viewer.organisationName,
    });
    return new Response(Buffer.from(file.body), {
      headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.fileName}"`, "Cache-Control": "no-store" },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      await auditRefusal(viewer, { kind: "payments", level: "read", path });
      return notFound();
    }
    throw error;
  }
}
