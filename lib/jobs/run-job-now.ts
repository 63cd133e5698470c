import type { Actor } from "../audit/events";
import { can, type Viewer } from "../auth/permissions";
import { AppError } from "../errors";
import { runJob, type JobDeps, type JobRunResult } from "./run-job";

/**
 * "Run now": a team lead (operator staff with edit access to jobs) runs one job at once, through
 * the web or the CLI's --as. The run is the same as a scheduled one — same lock, same record —
 * and is audited in the person's name (job.run_requested) in the run's own transaction.
 */
export async function runJobNow(options: { deps: JobDeps; viewer: Viewer; actor: Actor; name: string }): Promise<JobRunResult> {
  const { viewer, actor, deps, name } = options;
  if (viewer.audience !== "operator" || !can(viewer, "jobs", "edit")) {
    throw new AppError("forbidden", `${viewer.email} lacks edit on jobs`, "Page not found");
  }
  return runJob(name, deps, { trigger: actor.channel === "cli" ? "cli" : "web", requestedBy: actor });
}
