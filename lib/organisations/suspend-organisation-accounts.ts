import { sql } from "drizzle-orm";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import { endAllSessions } from "../auth/sessions";
import type { Clock } from "../clock";
import { queryRows, type Executor } from "../db/types";

export interface OrganisationSuspension {
  /** The accounts suspended now, with the status each had. */
  accounts: { id: string; before: string }[];
  sessionsEnded: number;
}

/**
 * UAP-5.2 / UAP-5.3: suspends every provider account of an organisation that is not suspended
 * yet — one statement, whatever the number — ends all their sessions at once and audits each
 * suspension (UAP-4.4), in the caller's transaction. Accounts are never deleted (UAP-4.3c).
 * `keepAccountsOfCase` spares the accounts a planned case created for a new owner.
 */
export async function suspendOrganisationAccounts(options: {
  tx: Executor;
  actor: Actor;
  clock: Clock;
  organisationId: string;
  reason: string;
  caseId: string;
  keepAccountsOfCase?: boolean;
}): Promise<OrganisationSuspension> {
  const { tx, actor, clock, organisationId, reason, caseId } = options;
  const now = clock.now();
  const keep = options.keepAccountsOfCase
    ? sql`and a.id not in (select ca.account_id from organisation_case_actions ca where ca.case_id = ${caseId} and ca.account_id is not null)`
    : sql``;
  const rows = await queryRows<{ id: string; before: string }>(
    tx,
    sql`with target as (
          select a.id, a.status from accounts a
          where a.organisation_id = ${organisationId} and a.audience = 'provider' and a.status <> 'suspended' ${keep}
          order by a.id
          for update
        )
        update accounts set status = 'suspended', suspended_at = ${now.toISOString()}::timestamptz, suspension_reason = ${reason}, updated_at = ${now.toISOString()}::timestamptz
        from target where accounts.id = target.id
        returning accounts.id as id, target.status as before`,
  );
  const ids = rows.map((r) => r.id);
  const sessionsEnded = await endAllSessions(tx, clock, ids, "organisation_closed");
  if (rows.length > 0) {
    await recordAudit(
      tx,
      actor,
      clock,
      rows.map((r) => ({
        action: "account.suspended",
        organisationId,
        subjectAccountId: r.id,
        detail: { before: { status: r.before }, after: { status: "suspended" }, reason, caseId },
      })),
    );
  }
  return { accounts: rows, sessionsEnded };
}
