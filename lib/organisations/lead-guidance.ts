import { and, eq, sql } from "drizzle-orm";
import { accounts } from "../db/schema/accounts";
import { auditEvents } from "../db/schema/audit";
import type { Executor } from "../db/types";
import type { PortalConfig } from "../config";
import { guidanceBannerDue } from "./rules";

/** Where the user guidance lives (UAP-A.1). */
export const GUIDANCE_PATH = "/portal/guidance";

/**
 * UAP-A.1: should this provider user's home point them to the guidance? Yes for a Lead
 * correspondent activated in the last 7 days who has not opened it yet — the page views the
 * portal logs anyway (PRIV-2a) tell whether they have, so no extra state is kept.
 */
export async function leadGuidanceBannerDue(db: Executor, config: PortalConfig, viewer: { accountId: string; roleKeys: string[] }, now: Date): Promise<boolean> {
  const isLead = viewer.roleKeys.includes(config.leadRoleKey);
  if (!isLead) return false;
  const [account] = await db.select({ activatedAt: accounts.activatedAt }).from(accounts).where(eq(accounts.id, viewer.accountId));
  if (!account) return false;
  if (!guidanceBannerDue({ isLead, activatedAt: account.activatedAt, now, guidanceViewed: false })) return false;
  const [viewed] = await db
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, viewer.accountId), eq(auditEvents.action, "page.viewed"), sql`${auditEvents.detail} ->> 'path' = ${GUIDANCE_PATH}`))
    .limit(1);
  return guidanceBannerDue({ isLead, activatedAt: account.activatedAt, now, guidanceViewed: Boolean(viewed) });
}
