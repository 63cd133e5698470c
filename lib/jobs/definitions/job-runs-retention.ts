import { sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record-audit";
import { queryRows } from "../../db/types";
import { defineJob } from "../define-job";
import { DAY_MS } from "../rules";
import { dailyAt } from "../schedule";
import { at } from "../sql";

/**
 * The jobs' own record (job_runs) does not grow for ever: runs that started more than
 * jobs.runRetention.days ago are deleted, in one statement, except those still read — each
 * job's latest keepLatestPerJob runs (the Jobs page), and its last successful and last failed
 * run (the schedule decides from them whether a job is due, however long ago they were). The
 * deletion is audited with what went, per job. Running it twice deletes nothing the second time.
 */
export const jobRunsRetentionJob = defineJob({
  name: "job-runs-retention",
  title: "Job run history clean-up",
  description: "Deletes the jobs' run records older than the configured number of days, keeping each job's latest runs and its last successful and failed run.",
  schedule: dailyAt("03:30"),
  vercelCron: "30 3 * * *",
  async run({ db, clock, config, actor }) {
    const { days, keepLatestPerJob } = config.jobs.runRetention;
    const olderThan = new Date(clock.now().getTime() - days * DAY_MS);
    const deleted = await queryRows<{ job: string; deleted: number }>(
      db,
      sql`with ranked as (
        select id, status,
          row_number() over (partition by job order by started_at desc, id) as latest,
          row_number() over (partition by job, status order by started_at desc, id) as latest_of_status
        from job_runs
      ),
      kept as (
        select id from ranked where latest <= ${keepLatestPerJob} or (latest_of_status = 1 and status in ('ok', 'failed'))
      ),
      deleted as (
        delete from job_runs r
        where r.started_at < ${at(olderThan)} and not exists (select 1 from kept k where k.id = r.id)
        returning r.job
      )
      select job, count(*)::int as deleted from deleted group by job order by job`,
    );
    const total = deleted.reduce((sum, row) => sum + row.deleted, 0);
    if (total > 0) {
      await recordAudit(db, actor, clock, {
        action: "job.runs_deleted",
        detail: { olderThan: olderThan.toISOString(), days, keepLatestPerJob, deleted: Object.fromEntries(deleted.map((row) => [row.job, row.deleted])) },
      });
    }
    return { runsDeleted: total, jobs: deleted.map((row) => row.job) };
  },
});
