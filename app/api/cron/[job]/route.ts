// GET|POST /api/cron/[job] — runs one job now, or "due" for every job whose schedule says so;
// needs `Authorization: Bearer $CRON_SECRET` (Vercel Cron sends it): 401 without it, 503 when
// CRON_SECRET is unset. 200 with the runs, 500 if a run failed, 404 for an unknown job.
import { cronAuthorisation, cronAuthorisationStatus, DUE_JOBS, findJob, runDueJobs, runJob, type JobRunResult } from "@/lib/jobs";
import { getPortal } from "@/lib/runtime/server-portal";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Seconds a run may take on Vercel (a sweep of a large database). */
export const maxDuration = 300;

const noStore = { "Cache-Control": "no-store" };

async function handle(request: Request, context: { params: Promise<{ job: string }> }): Promise<Response> {
  const verdict = cronAuthorisation(request.headers.get("authorization"), process.env);
  if (verdict !== "ok") {
    const message = verdict === "not_configured" ? "The cron endpoint is off: CRON_SECRET is not set." : "Unauthorised.";
    return Response.json({ error: { code: verdict, message } }, { status: cronAuthorisationStatus[verdict], headers: { ...noStore, ...(verdict === "unauthorised" ? { "WWW-Authenticate": "Bearer" } : {}) } });
  }
  const { job } = await context.params;
  if (job !== DUE_JOBS && !findJob(job)) {
    return Response.json({ error: { code: "not_found", message: `There is no job called "${job}".` } }, { status: 404, headers: noStore });
  }
  const portal = await getPortal();
  const deps = { db: portal.database.db, clock: portal.clock, config: portal.config, baseUrl: portal.baseUrl };
  const runs: JobRunResult[] = job === DUE_JOBS ? await runDueJobs(deps, { trigger: "cron" }) : [await runJob(job, deps, { trigger: "cron" })];
  return Response.json({ runs }, { status: runs.some((r) => r.status === "failed") ? 500 : 200, headers: noStore });
}

export const GET = handle;
export const POST = handle;
