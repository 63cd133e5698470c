import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import { recordSearch } from "../audit/record-page-view";
import type { Clock } from "../clock";
import type { Database } from "../db/types";
import { findColleagueMatch, flagLookup } from "./colleague-lookup";

/**
 * The records a provider's reading of care data leaves (issue 10 §8):
 * - PRIV-2a: every view of an individual's record is logged against the account
 *   (`individual.viewed`, with the individual's id and the page);
 * - PRIV-2b: a search is logged with its terms and without the account (`search.performed`);
 * - CC-7e: either one naming the viewer or a colleague is flagged (`lookup.flagged`).
 */

export interface CareViewer {
  accountId: string;
  organisationId: string;
}

export async function recordIndividualView(options: {
  db: Database;
  actor: Actor;
  clock: Clock;
  viewer: CareViewer;
  individual: { id: string; fullName: string };
  /** Where it was seen, e.g. /portal/purchase-orders/<id>. */
  path: string;
}): Promise<{ flagged: boolean }> {
  const { db, actor, clock, viewer, individual } = options;
  return db.transaction(async (tx) => {
    await recordAudit(tx, actor, clock, {
      action: "individual.viewed",
      organisationId: viewer.organisationId,
      detail: { individualId: individual.id, path: options.path },
    });
    const match = await findColleagueMatch(tx, viewer, [individual.fullName]);
    if (match) await flagLookup(tx, actor, clock, { ...match, organisationId: viewer.organisationId, via: "record", scope: options.path, individualId: individual.id });
    return { flagged: match !== null };
  });
}

/** Logs a search's terms anonymously, then flags it against the searcher if it names them or a colleague. */
export async function recordCareSearch(options: {
  db: Database;
  actor: Actor;
  clock: Clock;
  viewer: CareViewer;
  /** Which search: "purchase orders", "payments" … */
  scope: string;
  terms: Record<string, string>;
}): Promise<{ flagged: boolean }> {
  const { db, actor, clock, viewer } = options;
  const terms = Object.fromEntries(Object.entries(options.terms).filter(([, v]) => v.trim() !== ""));
  if (Object.keys(terms).length === 0) return { flagged: false };
  await recordSearch(db, { clock, terms, scope: options.scope, channel: actor.channel });
  const match = await findColleagueMatch(db, viewer, Object.values(terms));
  if (!match) return { flagged: false };
  await db.transaction((tx) => flagLookup(tx, actor, clock, { ...match, organisationId: viewer.organisationId, via: "search", scope: options.scope }));
  return { flagged: true };
}
