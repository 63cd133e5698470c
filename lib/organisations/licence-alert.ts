import { and, eq } from "drizzle-orm";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { licenceAllocations, organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { enqueueMessage } from "../mail/enqueue-message";
import { licenceUse, licenceYear, markLicenceAlerted } from "../requests/licences";
import { licenceAccountsLock } from "./licence-lock";
import { licenceAlertEmail } from "./messages";
import { licenceAlertDecision, licenceAlertRecipients, type LicenceAlertDecision } from "./rules";

export interface LicenceAlertOptions {
  /** A transaction (the caller's, so the alert commits with the change that caused it). */
  tx: Executor;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  organisationId: string;
  /** The licence year; this year's by default. */
  year?: number;
}

/** The active Lead correspondents of an organisation: who hears of its licences (CC-2a, UAP-A.2). */
export async function leadCorrespondentEmails(db: Executor, config: PortalConfig, organisationId: string): Promise<string[]> {
  const rows = await db
    .select({ email: accounts.email })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(eq(accounts.organisationId, organisationId), eq(accounts.status, "active"), eq(roleGrants.roleKey, config.leadRoleKey)));
  return rows.map((r) => r.email);
}

/**
 * CC-2a, once per crossing: when an organisation's licence use reaches the configured
 * threshold, its Lead correspondent(s) and the operator's staff mailbox are emailed once and
 * the crossing is remembered; when use falls back under it, the memory is cleared so the next
 * crossing alerts again. Safe to call as often as wanted (a job may call it for every
 * organisation): the decision is `licenceAlertDecision`, and the organisation's licence lock
 * (the one request submission takes) makes two callers agree.
 */
export async function checkLicenceAlert(options: LicenceAlertOptions): Promise<LicenceAlertDecision & { year: number; used: number; allocation: number; to: string[] }> {
  const { tx, actor, clock, config, organisationId } = options;
  const year = options.year ?? licenceYear(clock.now());
  await licenceAccountsLock(tx, organisationId);
  const use = await licenceUse(tx, config, organisationId, year);
  const decision = licenceAlertDecision({ allocation: use.allocation, used: use.used, thresholdPercent: config.licences.alertThresholdPercent, alertedPercent: use.alertedPercent });
  let to: string[] = [];
  if (decision.action === "alert") {
    const [organisation] = await tx.select({ id: organisations.id, name: organisations.name, odsCode: organisations.odsCode }).from(organisations).where(eq(organisations.id, organisationId));
    to = licenceAlertRecipients(await leadCorrespondentEmails(tx, config, organisationId), config.operator.mailbox);
    await enqueueMessage(tx, licenceAlertEmail(config, organisation!, { used: use.used, allocation: use.allocation, year, percent: decision.percent }, to));
    await markLicenceAlerted(tx, organisationId, year, use.allocation, decision.markPercent);
    await recordAudit(tx, actor, clock, {
      action: "organisation.licence_alert_sent",
      organisationId,
      detail: { year, used: use.used, allocation: use.allocation, thresholdPercent: config.licences.alertThresholdPercent, to },
    });
  } else if (decision.action === "rearm") {
    await tx
      .update(licenceAllocations)
      .set({ alertedAt: null, updatedAt: clock.now() })
      .where(and(eq(licenceAllocations.organisationId, organisationId), eq(licenceAllocations.year, year)));
    await recordAudit(tx, actor, clock, {
      action: "organisation.licence_alert_rearmed",
      organisationId,
      detail: { year, used: use.used, allocation: use.allocation, thresholdPercent: config.licences.alertThresholdPercent, before: { alertedPercent: use.alertedPercent }, after: { alertedPercent: null } },
    });
  }
  return { ...decision, year, used: use.used, allocation: use.allocation, to };
}

