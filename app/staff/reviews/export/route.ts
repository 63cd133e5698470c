// GET /staff/reviews/export — the quarterly review report as a CSV download (UAP-4.3a, UAP-A.9); needs operator
// requests read, checked here; the export is recorded as review.report_exported (AUP-5.2f).
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { can } from "@/lib/auth/permissions";
import { exportReviewReportCsv } from "@/lib/reviews/export-review-report";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../../_lib/viewer";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const viewer = await requireViewer();
  if (viewer.audience !== "operator" || !can(viewer, "requests", "read")) {
    await auditRefusal(viewer, { kind: "requests", level: "read", path: "/staff/reviews/export" });
    return new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const { database, config, clock } = await portal();
  // The file is made and the export recorded in one transaction before any of it is sent.
  const { csv } = await exportReviewReportCsv({ db: database.db, actor: await webActor(config, viewer), clock, config });
  const name = `quarterly-review-report-${format(new TZDate(clock.now(), config.requests.serviceHours.timeZone), "yyyy-MM-dd-HHmmss")}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
