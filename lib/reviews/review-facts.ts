import { inArray, sql } from "drizzle-orm";
import type { PortalConfig } from "../config";
import { organisations } from "../db/schema/organisations";
import { accessReviewItems } from "../db/schema/reviews";
import type { Executor } from "../db/types";
import { leadCorrespondents, type LeadCorrespondent } from "./leads";

/**
 * What the reminder and escalation emails say about several reviews, read in three queries
 * whatever their number: the organisation's name, its Lead correspondents and how many of the
 * review's accounts still need a decision.
 */
export async function reviewFacts(
  tx: Executor,
  config: PortalConfig,
  reviews: readonly { id: string; organisationId: string }[],
): Promise<{ names: Map<string, string>; leads: Map<string, LeadCorrespondent[]>; counts: Map<string, { total: number; undecided: number }> }> {
  if (reviews.length === 0) return { names: new Map(), leads: new Map(), counts: new Map() };
  const organisationIds = [...new Set(reviews.map((r) => r.organisationId))];
  const names = new Map(
    (await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, organisationIds))).map((o) => [o.id, o.name]),
  );
  const counted = await tx
    .select({
      reviewId: accessReviewItems.reviewId,
      total: sql<number>`count(*)::int`,
      undecided: sql<number>`count(*) filter (where ${accessReviewItems.decision} is null)::int`,
    })
    .from(accessReviewItems)
    .where(inArray(accessReviewItems.reviewId, reviews.map((r) => r.id)))
    .groupBy(accessReviewItems.reviewId);
  const counts = new Map(counted.map((c) => [c.reviewId, { total: c.total, undecided: c.undecided }]));
  return { names, leads: await leadCorrespondents(tx, config, organisationIds), counts };
}
