import type { Command } from "commander";
import { viewerForEmail } from "../../lib/auth/viewer-for-email";
import { describeSummary, runDueJobs, runJob, jobs, jobsOverview, runJobNow, stderrJobLog, silentJobLog, type JobDeps, type JobRunResult } from "../../lib/jobs";
import type { Portal } from "../../lib/runtime/open-portal";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

interface RunOptions extends CommonOptions {
  all?: boolean;
  as?: string;
}

function depsOf(portal: Portal, options: CommonOptions): JobDeps {
  // With --json the structured log stays off stdout's one document (it goes to stderr anyway) and is quiet.
  return { db: portal.database.db, clock: portal.clock, config: portal.config, baseUrl: portal.baseUrl, log: options.json ? silentJobLog : stderrJobLog };
}

function describeRun(r: JobRunResult): string {
  if (r.status === "ok") return `${r.job}: ok — ${describeSummary(r.summary)} (${r.finishedAt.getTime() - r.startedAt.getTime()} ms)`;
  if (r.status === "failed") return `${r.job}: FAILED — ${r.error}`;
  if (r.status === "skipped_locked") return `${r.job}: skipped — another runner is running it`;
  return `${r.job}: not due`;
}

/**
 * `portal jobs list` — every scheduled job, its schedule, last run and next run.
 * `portal jobs run [NAME]` — one job now; without a name, every job that is due (--all: every job).
 * The same registry and runner as the server's timer and the cron route.
 */
export function registerJobs(program: Command): void {
  const group = program.command("jobs").description("Scheduled jobs: inactivity, end dates, licence, SLA and training alerts");

  group
    .command("list")
    .description("Each job with its schedule, its last run and when it runs next")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: CommonOptions) => {
        const overview = await withPortal({}, (portal) => jobsOverview({ db: portal.database.db, clock: portal.clock, runsPerJob: 1 }));
        const result = overview.map((j) => ({
          name: j.name,
          title: j.title,
          schedule: j.schedule,
          due: j.due,
          nextRunAt: j.nextRunAt.toISOString(),
          lastRun: j.lastRun && { status: j.lastRun.status, trigger: j.lastRun.trigger, startedAt: j.lastRun.startedAt.toISOString(), summary: j.lastRun.summary, error: j.lastRun.error },
        }));
        emit(options, { jobs: result }, () =>
          overview
            .map((j) => {
              const last = j.lastRun ? `last ${j.lastRun.status} ${j.lastRun.startedAt.toISOString()}` : "never run";
              return `${j.name.padEnd(16)} ${j.schedule.padEnd(30)} ${last}; next ${j.due ? "now (due)" : j.nextRunAt.toISOString()}`;
            })
            .join("\n"),
        );
      }),
    );

  group
    .command("run [name]")
    .description(`Run a job now (${jobs.map((j) => j.name).join(", ")}); without a name, every job that is due`)
    .option("--all", "with no name: run every job, due or not")
    .option("--as <email>", "a team lead's account: the run is audited in their name")
    .option("--json", "print one JSON document")
    .action(
      action(async (name: string | undefined, options: RunOptions) => {
        const results = await withPortal({}, async (portal): Promise<JobRunResult[]> => {
          const deps = depsOf(portal, options);
          const names = name ? [name] : options.all ? jobs.map((j) => j.name) : null;
          if (!names) return runDueJobs(deps, { trigger: "cli" });
          const out: JobRunResult[] = [];
          for (const each of names) {
            if (options.as) {
              const { viewer, actor } = await viewerForEmail(portal.database.db, portal.config, options.as, "cli");
              out.push(await runJobNow({ deps, viewer, actor, name: each }));
            } else {
              out.push(await runJob(each, deps, { trigger: "cli" }));
            }
          }
          return out;
        });
        emit(
          options,
          { runs: results },
          () => results.map(describeRun).join("\n") || "No jobs.",
          results.some((r) => r.status === "failed") ? 1 : 0,
        );
      }),
    );
}
