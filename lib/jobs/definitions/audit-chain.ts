import { recordChainCheckpoint, verifyChainAndAlert, type ChainJobContext } from "../../audit/checkpoint";
import type { JobContext, JobSummary } from "../define-job";
import { defineJob } from "../define-job";
import { teamLeads } from "../recipients";
import { dayIn } from "../rules";
import { dailyAt } from "../schedule";

/** What both audit chain jobs need: the day they act for, and the team leads to alert. */
async function chainContext({ db, clock, config, actor }: JobContext): Promise<ChainJobContext> {
  const leads = await teamLeads(db, config);
  return { db, clock, config, actor, day: dayIn(clock.now(), config.requests.serviceHours.timeZone), alertTo: leads.map((lead) => lead.email) };
}

/**
 * UAP-4.4, AUP-7.1: the audit chain's head, checkpointed outside the database every day
 * (lib/audit/checkpoint.ts). A chain that fails verification is not checkpointed; staff are told.
 */
export const auditCheckpointJob = defineJob({
  name: "audit-checkpoint",
  title: "Audit log checkpoint",
  description:
    "Verifies the audit log, then emails its latest event's sequence number and hash to the checkpoint address and keeps it in the outbox, so even a rewrite of the whole log is detected (UAP-4.4).",
  schedule: dailyAt("23:45"),
  vercelCron: "45 23 * * *",
  async run(context): Promise<JobSummary> {
    const outcome = await recordChainCheckpoint(await chainContext(context));
    if (outcome.status === "chain_broken") {
      context.log("error", "audit.chain_broken", { seq: outcome.verdict.firstBad.seq, problem: outcome.verdict.firstBad.problem });
      return { checkpointed: false, chainBroken: true, firstBadEvent: outcome.verdict.firstBad.seq, alerted: outcome.alerted };
    }
    return { checkpointed: outcome.queued, seq: outcome.checkpoint.seq, emailedTo: outcome.to };
  },
});

/** UAP-4.4: every night the whole chain is verified against the last checkpoint; a failure alerts the team leads. */
export const auditVerifyJob = defineJob({
  name: "audit-verify",
  title: "Audit log verification",
  description: "Verifies the whole audit log's hash chain against the last checkpoint every night and emails the team leads if any event was altered, removed, inserted or reordered (UAP-4.4).",
  schedule: dailyAt("02:30"),
  vercelCron: "30 2 * * *",
  async run(context): Promise<JobSummary> {
    const { verdict, alerted } = await verifyChainAndAlert(await chainContext(context));
    if (verdict.ok) return { verified: verdict.events, chainBroken: false, checkpointSeq: verdict.checkpoint?.seq ?? null };
    context.log("error", "audit.chain_broken", { seq: verdict.firstBad.seq, problem: verdict.firstBad.problem });
    return { verified: verdict.events, chainBroken: true, firstBadEvent: verdict.firstBad.seq, alerted };
  },
});
