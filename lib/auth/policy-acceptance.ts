import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import type { Clock } from "../clock";
import type { PolicyDocument, PortalConfig } from "../config";
import { policyAcceptances } from "../db/schema/accounts";
import type { Executor } from "../db/types";

/** The policies every user must accept before using the portal, at their current versions (AUP-5.1a). */
export function policiesToAccept(config: PortalConfig): PolicyDocument[] {
  return config.policies.filter((p) => p.mustAccept);
}

/** The current must-accept policies this account has not accepted yet (a new version asks again). */
export async function pendingPolicies(db: Executor, config: PortalConfig, accountId: string): Promise<PolicyDocument[]> {
  const accepted = await db
    .select({ key: policyAcceptances.policyKey, version: policyAcceptances.version })
    .from(policyAcceptances)
    .where(eq(policyAcceptances.accountId, accountId));
  return policiesToAccept(config).filter((p) => !accepted.some((a) => a.key === p.key && a.version === p.version));
}

/** Records acceptance of the current versions (version and time), with its audit event. */
export async function acceptPolicies(tx: Executor, config: PortalConfig, clock: Clock, actor: Actor, account: { id: string; organisationId: string }): Promise<void> {
  const now = clock.now();
  for (const policy of policiesToAccept(config)) {
    const existing = await tx
      .select({ key: policyAcceptances.policyKey })
      .from(policyAcceptances)
      .where(and(eq(policyAcceptances.accountId, account.id), eq(policyAcceptances.policyKey, policy.key), eq(policyAcceptances.version, policy.version)));
    if (existing.length) continue;
    await tx.insert(policyAcceptances).values({ accountId: account.id, policyKey: policy.key, version: policy.version, acceptedAt: now });
    await recordAudit(tx, actor, clock, {
      action: "policy.accepted",
      subjectAccountId: account.id,
      organisationId: account.organisationId,
      detail: { policy: policy.key, version: policy.version },
    });
  }
}
