// GET /portal/requests/bulk-template — the bulk user request template (UCP-BULK-1) as a CSV
// download: the header row only; for the Lead correspondent (provider users:edit), checked here.
import { can } from "@/lib/auth/permissions";
import { importTemplateCsv, TEMPLATE_FILE_NAME } from "@/lib/imports/template";
import { auditRefusal, requireViewer } from "../../../_lib/viewer";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const viewer = await requireViewer();
  if (viewer.audience !== "provider" || !can(viewer, "users", "edit")) {
    await auditRefusal(viewer, { kind: "users", level: "edit", path: "/portal/requests/bulk-template" });
    return new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return new Response(importTemplateCsv(), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${TEMPLATE_FILE_NAME}"`,
      "Cache-Control": "no-store",
    },
  });
}
