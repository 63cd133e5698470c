// GET /api/health — liveness for load balancers and the e2e web server: {"status":"ok"}.
// Runs on the edge runtime, which cannot load the database driver, so the answer never waits
// on (or opens) the database.
export const runtime = "edge";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
