import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { createProviderAccount } from "../accounts/create-provider-account";
import { systemActor, type Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import { sendAccountSetup } from "../auth/account-setup/send-account-setup";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { organisationCaseActions, organisationCases } from "../db/schema/organisation-cases";
import { organisations } from "../db/schema/organisations";
import type { Database, Transaction } from "../db/types";
import { AppError, isAppError } from "../errors";
import { licenceUse, licenceYear } from "../requests/licences";
import { licenceAvailable, serviceDay } from "../requests/rules";
import { checkLicenceAlert, leadCorrespondentEmails } from "./licence-alert";
import { licenceAccountsLock } from "./licence-lock";
import { caseKindLabels, formatCaseReference, statusWhenSuspensionsRun, type CaseActionKind } from "./rules";
import { suspendOrganisationAccounts } from "./suspend-organisation-accounts";

export interface ScheduledChangesOptions {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  /** The portal's public address, for new accounts' set-up links (CC-6). */
  baseUrl: string;
  /** Who the audit log names; the jobs framework may pass its own. */
  actor?: Actor;
  /** At most this many actions a run (the rest wait for the next). */
  limit?: number;
}

export interface ScheduledChangesSummary {
  /** The service day the run counted as today. */
  today: string;
  /** Actions due and claimed by this run. */
  due: number;
  done: number;
  failed: number;
  accountsSuspended: number;
  sessionsEnded: number;
  accountsCreated: number;
  actions: { id: string; caseId: string; organisationId: string; kind: CaseActionKind; status: "done" | "failed"; error?: string }[];
}

type ActionRow = typeof organisationCaseActions.$inferSelect;
type CaseRow = typeof organisationCases.$inferSelect;

/**
 * UAP-5.2: carries out the planned cases' changes whose effective date has come (on or before
 * today in the service's time zone): suspensions of an organisation's existing accounts first,
 * then the accounts for a new owner (each with its two set-up emails, CC-6). Each action runs
 * once: it is claimed under a row lock (SKIP LOCKED, so two runners share the work) and marked
 * done or failed in the same transaction as its changes and audit events; a failing action
 * (say, an email that meanwhile got an account) is marked failed with its reason and does not
 * stop the others. Running again finds nothing left to do.
 */
export async function runScheduledOrganisationChanges(options: ScheduledChangesOptions): Promise<ScheduledChangesSummary> {
  const { db, clock, config } = options;
  const actor = options.actor ?? systemActor("job", "Scheduled organisation changes");
  const today = serviceDay(clock.now(), config.requests.serviceHours.timeZone);
  const summary: ScheduledChangesSummary = { today, due: 0, done: 0, failed: 0, accountsSuspended: 0, sessionsEnded: 0, accountsCreated: 0, actions: [] };

  await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(organisationCaseActions)
      .where(and(eq(organisationCaseActions.status, "scheduled"), lte(organisationCaseActions.effectiveDate, today)))
      .orderBy(asc(organisationCaseActions.effectiveDate), sql`(${organisationCaseActions.kind} = 'suspend_accounts') desc`, asc(organisationCaseActions.createdAt), asc(organisationCaseActions.id))
      .limit(options.limit ?? 500)
      .for("update", { skipLocked: true });
    summary.due = due.length;
    if (due.length === 0) return;
    const caseIds = [...new Set(due.map((a) => a.caseId))];
    const cases = new Map((await tx.select().from(organisationCases).where(inArray(organisationCases.id, caseIds))).map((c) => [c.id, c]));

    for (const action of due) {
      const kase = cases.get(action.caseId)!;
      const reference = formatCaseReference(kase.number);
      try {
        // A savepoint per action: a refused one rolls back alone and is recorded as failed.
        const result = await tx.transaction((sp) => performAction(sp, { ...options, actor }, action, kase, reference));
        const now = clock.now();
        await tx
          .update(organisationCaseActions)
          .set({ status: "done", result, accountId: typeof result.accountId === "string" ? result.accountId : null, doneAt: now, updatedAt: now })
          .where(eq(organisationCaseActions.id, action.id));
        await recordAudit(tx, actor, clock, {
          action: "organisation.case_action_done",
          organisationId: action.organisationId,
          subjectAccountId: typeof result.accountId === "string" ? result.accountId : null,
          detail: { caseId: kase.id, reference, actionId: action.id, kind: action.kind, effectiveDate: action.effectiveDate, result },
        });
        summary.done += 1;
        summary.accountsSuspended += typeof result.suspended === "number" ? result.suspended : 0;
        summary.sessionsEnded += typeof result.sessionsEnded === "number" ? result.sessionsEnded : 0;
        summary.accountsCreated += action.kind === "create_account" ? 1 : 0;
        summary.actions.push({ id: action.id, caseId: kase.id, organisationId: action.organisationId, kind: action.kind, status: "done" });
      } catch (error) {
        if (!isAppError(error)) throw error;
        const now = clock.now();
        await tx.update(organisationCaseActions).set({ status: "failed", error: error.userMessage, doneAt: now, updatedAt: now }).where(eq(organisationCaseActions.id, action.id));
        await recordAudit(tx, actor, clock, {
          action: "organisation.case_action_failed",
          organisationId: action.organisationId,
          detail: { caseId: kase.id, reference, actionId: action.id, kind: action.kind, effectiveDate: action.effectiveDate, error: error.userMessage },
        });
        summary.failed += 1;
        summary.actions.push({ id: action.id, caseId: kase.id, organisationId: action.organisationId, kind: action.kind, status: "failed", error: error.userMessage });
      }
    }
  });
  return summary;
}

async function performAction(
  tx: Transaction,
  options: ScheduledChangesOptions & { actor: Actor },
  action: ActionRow,
  kase: CaseRow,
  reference: string,
): Promise<Record<string, unknown>> {
  const { clock, config, actor } = options;
  const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, action.organisationId)).for("update");
  if (!organisation) throw new AppError("not_found", `organisation ${action.organisationId} not found`, "The organisation could not be found.");

  if (action.kind === "suspend_accounts") {
    const result = await suspendOrganisationAccounts({
      tx,
      actor,
      clock,
      organisationId: organisation.id,
      caseId: kase.id,
      keepAccountsOfCase: true,
      reason: `${caseKindLabels[kase.kind]} of ${organisation.name} (${reference}), effective ${action.effectiveDate}`,
    });
    const after = statusWhenSuspensionsRun(kase.kind, organisation.status);
    if (after !== organisation.status) {
      await tx.update(organisations).set({ status: after, updatedAt: clock.now() }).where(eq(organisations.id, organisation.id));
      await recordAudit(tx, actor, clock, {
        action: "organisation.status_changed",
        organisationId: organisation.id,
        detail: { caseId: kase.id, reference, before: { status: organisation.status }, after: { status: after } },
      });
    }
    return { suspended: result.accounts.length, accountIds: result.accounts.map((a) => a.id), sessionsEnded: result.sessionsEnded, organisationStatus: after };
  }

  // create_account: a new owner's (or administrator's) person, as on the case.
  if (organisation.status === "closed") {
    throw new AppError("refused", `organisation ${organisation.odsCode} closed`, `${organisation.name} is closed, so no account can be created for it.`);
  }
  const role = config.securityRoles.find((r) => r.key === action.roleKey && r.audience === "provider");
  if (!role) throw new AppError("refused", `role ${action.roleKey} not configured`, `The security role ${action.roleKey} no longer exists.`);
  await licenceAccountsLock(tx, organisation.id);
  const use = await licenceUse(tx, config, organisation.id, licenceYear(clock.now()));
  if (!licenceAvailable(use)) {
    throw new AppError("refused", `licences full (${use.used}/${use.allocation})`, `${organisation.name} has no licences left for ${use.year} (all ${use.allocation} are in use or requested).`);
  }
  const account = await createProviderAccount({
    tx,
    actor,
    clock,
    organisationId: organisation.id,
    fullName: action.fullName!,
    email: action.email!,
    jobTitle: action.jobTitle,
    roleKeys: [role.key],
  });
  const leads = (await leadCorrespondentEmails(tx, config, organisation.id)).filter((e) => e !== account.email);
  await sendAccountSetup(tx, { config, clock, baseUrl: options.baseUrl }, account, { leadEmails: leads });
  await checkLicenceAlert({ tx, actor, clock, config, organisationId: organisation.id });
  return { accountId: account.id, email: account.email, roleKey: role.key };
}
