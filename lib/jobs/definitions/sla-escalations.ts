import { sql } from "drizzle-orm";
import type { AuditInput } from "../../audit/events";
import { queryRows } from "../../db/types";
import { formatReference, openStatuses, serviceDayBounds } from "../../requests/rules";
import { enqueueMessages, recordAuditBatch } from "../batches";
import { defineJob } from "../define-job";
import { slaEscalationMessage, type EscalatedRequest } from "../messages";
import { claimNotices, noticeKey } from "../notices";
import { teamLeads } from "../recipients";
import { every } from "../schedule";
import { at, isoText } from "../sql";

interface DueRow extends Record<string, unknown> {
  id: string;
  number: number;
  title: string;
  organisation_id: string;
  organisation_name: string;
  assignee: string | null;
  due_at: string;
  state: "due_today" | "overdue";
}

const states = ["due_today", "overdue"] as const;

/**
 * CC-5: open requests due by the end of today (service time zone), or already past their due
 * time, are escalated to the operator's team leads — one email per state per run listing the
 * newly escalated requests, and an audit event on each request. Each request is escalated once
 * per state (and again only if its due time changes). Without a team lead the operator mailbox
 * gets it. (When the Slack bot exists, post the same list to its channel here.)
 */
export const slaEscalationsJob = defineJob({
  name: "sla-escalations",
  title: "SLA escalations",
  description: "Escalates open requests due today or past their due time to the team leads, once per request and state (CC-5).",
  schedule: every(15),
  vercelCron: "*/15 * * * *",
  async run({ db, clock, config, baseUrl, actor }) {
    const now = clock.now();
    const { end } = serviceDayBounds(now, config.requests.serviceHours.timeZone);
    const due = await queryRows<DueRow>(
      db,
      sql`select r.id, r.number::int as number, r.title, r.organisation_id, o.name as organisation_name, s.full_name as assignee,
        ${isoText(sql`r.due_at`)} as due_at, case when r.due_at < ${at(now)} then 'overdue' else 'due_today' end as state
      from requests r
      join organisations o on o.id = r.organisation_id
      left join accounts s on s.id = r.assignee_id
      where r.status in ${[...openStatuses]} and r.due_at <= ${at(end)}
      order by r.due_at, r.number`,
    );
    const leads = await teamLeads(db, config);
    const to = leads.length > 0 ? leads.map((p) => p.email) : [config.operator.mailbox];
    const summary = { open: due.length, dueToday: 0, overdue: 0 };
    const events: AuditInput[] = [];
    for (const state of states) {
      const inState = due.filter((row) => row.state === state);
      const claimed = await claimNotices(db, state === "overdue" ? "sla_overdue" : "sla_due_today", inState.map((row) => ({ subjectId: row.id, occurrenceKey: row.due_at })), now);
      const escalated = inState.filter((row) => claimed.has(noticeKey({ subjectId: row.id, occurrenceKey: row.due_at })));
      if (escalated.length === 0) continue;
      summary[state === "overdue" ? "overdue" : "dueToday"] = escalated.length;
      const list: EscalatedRequest[] = escalated.map((row) => ({
        id: row.id,
        reference: formatReference(row.number),
        title: row.title,
        organisationName: row.organisation_name,
        dueAt: new Date(row.due_at),
        assignee: row.assignee,
      }));
      await enqueueMessages(db, [slaEscalationMessage(config, baseUrl, state, list, to, now)]);
      for (const row of escalated) {
        events.push({ action: "request.sla_escalated", organisationId: row.organisation_id, requestId: row.id, detail: { state, dueAt: row.due_at, to, rule: "CC-5" } });
      }
    }
    await recordAuditBatch(db, actor, clock, events);
    return summary;
  },
});
