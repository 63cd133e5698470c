import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { describeSummary, jobsOverview, type JobRunView } from "@/lib/jobs";
import { jobsTimerEnabled } from "@/lib/runtime/job-runner";
import { Button } from "../../_components/button";
import { NotificationBanner } from "../../_components/notification-banner";
import { PageTitle } from "../../_components/page-title";
import { SummaryList } from "../../_components/summary-list";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { runNow } from "./actions";
import { RunStatusTag } from "./run-status-tag";

export const metadata: Metadata = { title: "Jobs" };

const triggerLabels: Record<JobRunView["trigger"], string> = { timer: "Schedule", cron: "Cron", cli: "Command line", web: "Run now" };

const outcomes: Record<string, { type: "success" | "important"; heading: string; text: string }> = {
  ok: { type: "success", heading: "Job run", text: "Its run is at the top of the list below, with what it did. The run is in the audit log." },
  failed: { type: "important", heading: "The job failed", text: "Nothing it started was kept. The reason is in its run below; it will be tried again on its schedule." },
  skipped_locked: { type: "important", heading: "The job is already running", text: "Another run of it is under way (on the schedule or another server). Its result will appear below when it finishes." },
};

function took(run: JobRunView): string {
  return run.durationMs < 1_000 ? `${run.durationMs} ms` : `${(run.durationMs / 1_000).toFixed(1)} s`;
}

// GET /staff/jobs — the scheduled jobs, their schedules and last runs; team leads can run one now.
export default async function JobsPage({ searchParams }: { searchParams: Promise<{ ran?: string; status?: string; problem?: string }> }) {
  const viewer = await viewPage("/staff/jobs", { access: { audience: "operator", kind: "jobs" } });
  const params = await searchParams;
  const { database, clock } = await portal();
  const overview = await jobsOverview({ db: database.db, clock, runsPerJob: 5 });
  const mayRun = can(viewer, "jobs", "edit");
  const ran = overview.find((j) => j.name === params.ran);
  const outcome = ran && params.status ? outcomes[params.status] : undefined;
  return (
    <>
      {ran && outcome && (
        <NotificationBanner type={outcome.type} heading={`${ran.title}: ${outcome.heading.toLowerCase()}`}>
          <p className="govuk-body">{outcome.text}</p>
        </NotificationBanner>
      )}
      {params.problem && (
        <NotificationBanner heading="No such job">
          <p className="govuk-body">Choose a job from the list below.</p>
        </NotificationBanner>
      )}
      <PageTitle caption="Back office">Jobs</PageTitle>
      <p className="govuk-body">
        These jobs keep access in line with the policies: they suspend unused and ended accounts and send the warnings and alerts the policies ask
        for. Each one acts only once on each thing, however often it runs, and every change it makes is in the audit log.
      </p>
      <div className="govuk-inset-text">
        {jobsTimerEnabled(process.env)
          ? "This server runs each job on its schedule, checking every minute."
          : "This server does not run the jobs itself (PORTAL_JOBS=off, or on Vercel): they run from the cron service or the command line."}
      </div>
      {overview.map((job) => (
        <section key={job.name} id={`job-${job.name}`} aria-labelledby={`job-${job.name}-heading`} className="govuk-!-margin-bottom-8" data-testid={`job-${job.name}`}>
          <h2 className="govuk-heading-m" id={`job-${job.name}-heading`}>
            {job.title}
          </h2>
          <p className="govuk-body">{job.description}</p>
          <SummaryList
            rows={[
              { key: "Schedule", value: job.schedule },
              { key: "Next run", value: job.due ? "Now: it is due" : formatDateTime(job.nextRunAt) },
              {
                key: "Last run",
                value: job.lastRun ? (
                  <>
                    <RunStatusTag status={job.lastRun.status} /> {formatDateTime(job.lastRun.startedAt)}
                  </>
                ) : (
                  "Not run yet"
                ),
              },
              { key: "Command", value: <code className="portal-break-anywhere">portal jobs run {job.name}</code> },
            ]}
          />
          {job.recentRuns.length > 0 && (
            <table className="govuk-table portal-table--stack">
              <caption className="govuk-table__caption govuk-table__caption--s">Last {job.recentRuns.length === 1 ? "run" : `${job.recentRuns.length} runs`}</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Started</th>
                  <th scope="col" className="govuk-table__header">Status</th>
                  <th scope="col" className="govuk-table__header">Started by</th>
                  <th scope="col" className="govuk-table__header">What it did</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {job.recentRuns.map((run) => (
                  <tr key={run.id} className="govuk-table__row">
                    <td className="govuk-table__cell" data-label="Started">
                      {formatDateTime(run.startedAt)}
                      <br />
                      <span className="govuk-hint govuk-!-margin-bottom-0">took {took(run)}</span>
                    </td>
                    <td className="govuk-table__cell" data-label="Status">
                      <RunStatusTag status={run.status} />
                    </td>
                    <td className="govuk-table__cell" data-label="Started by">
                      {triggerLabels[run.trigger]}
                      {run.requestedBy ? `: ${run.requestedBy}` : ""}
                    </td>
                    <td className="govuk-table__cell portal-break-anywhere" data-label="What it did">
                      {run.status === "failed" ? run.error : run.status === "skipped_locked" ? "Nothing: another run held the job" : describeSummary(run.summary)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {mayRun && (
            <form action={runNow}>
              <input type="hidden" name="job" value={job.name} />
              <Button variant="secondary">
                Run now <span className="govuk-visually-hidden">: {job.title}</span>
              </Button>
            </form>
          )}
        </section>
      ))}
    </>
  );
}
