// GET /api/ready — readiness for load balancers: 200 {"status":"ready"} when this server's
// database answers, 503 when it does not (or the server is shutting down). Liveness, which
// never touches the database, is /api/health.
import { logger } from "@/lib/log";
import { isDraining } from "@/lib/runtime/graceful-shutdown";
import { checkReadiness, type Readiness } from "@/lib/runtime/readiness";
import { getPortal } from "@/lib/runtime/server-portal";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  let readiness: Readiness;
  try {
    const portal = await getPortal();
    readiness = await checkReadiness({ db: portal.database.db, draining: isDraining() });
  } catch {
    // The portal could not even open its database (or its configuration is wrong).
    readiness = { status: "unavailable", database: "unreachable", ms: 0 };
  }
  if (readiness.status !== "ready") logger().warn({ event: "server.not_ready", ...readiness });
  return Response.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
