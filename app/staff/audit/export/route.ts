// GET /staff/audit/export — an audit search's events as a CSV download (UAP-A.9); needs
// operator audit read, checked here; the export is recorded as audit.exported (AUP-5.2f).
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { exportAuditCsv } from "@/lib/audit/export-audit";
import { AUDIT_TIME_ZONE, parseAuditSearch } from "@/lib/audit/search-filters";
import { can } from "@/lib/auth/permissions";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { auditRefusal, requireViewer } from "../../../_lib/viewer";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const viewer = await requireViewer();
  if (viewer.audience !== "operator" || !can(viewer, "audit", "read")) {
    await auditRefusal(viewer, { kind: "audit", level: "read", path: "/staff/audit/export" });
    return new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const url = new URL(request.url);
  const parsed = parseAuditSearch(Object.fromEntries(url.searchParams));
  if (!parsed.ok) {
    // The search page says what is wrong with the filters.
    return Response.redirect(new URL(`/staff/audit${url.search}`, url), 303);
  }

  const { database, config, clock } = await portal();
  // The file is written whole, and the export recorded, before any of it is sent: a download
  // the log does not know about cannot happen. A temporary file keeps a million events out of memory.
  const dir = await mkdtemp(path.join(tmpdir(), "portal-audit-export-"));
  const file = path.join(dir, "audit-log.csv");
  try {
    const handle = await open(file, "w");
    try {
      await exportAuditCsv({
        db: database.db,
        actor: await webActor(config, viewer),
        clock,
        filters: parsed.filters,
        write: async (chunk) => {
          await handle.write(chunk);
        },
      });
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const stream = createReadStream(file);
  stream.once("close", () => void rm(dir, { recursive: true, force: true }));
  const name = `audit-log-${format(new TZDate(clock.now(), AUDIT_TIME_ZONE), "yyyy-MM-dd-HHmmss")}.csv`;
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
