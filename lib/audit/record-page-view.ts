import type { Clock } from "../clock";
import type { Executor } from "../db/types";
import type { Actor, Channel } from "./events";
import { recordAudit } from "./record-audit";

/**
 * PRIV-2a / AUP-7.1: the pages a signed-in person views are logged against their account.
 * PRIV-2b: the terms of a search are logged anonymously — the terms and the time, never the
 * account, its address or its browser.
 *
 * A page view keeps the path only, never the query string: a search's terms travel in the
 * query, and logging them beside the account would undo PRIV-2b.
 */

const MAX_PATH_LENGTH = 1_000;

/** The path without query or fragment, and no longer than the log keeps. */
export function pagePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] || "/";
  return (bare.startsWith("/") ? bare : `/${bare}`).slice(0, MAX_PATH_LENGTH);
}

export interface RecordPageViewOptions {
  actor: Actor;
  clock: Clock;
  /** The page's path, e.g. /staff/audit/accounts/<id>; any query string is dropped. */
  path: string;
  /** The viewer's organisation (so an organisation's activity includes its people's page views). */
  organisationId?: string | null;
  /** The account the page is about, when it is about one (e.g. an account's audit trail). */
  subjectAccountId?: string | null;
}

/** Records page.viewed for the actor: one audit event in its own short transaction. */
export async function recordPageView(db: Executor, options: RecordPageViewOptions): Promise<void> {
  const { actor, clock } = options;
  await db.transaction((tx) =>
    recordAudit(tx, actor, clock, {
      action: "page.viewed",
      organisationId: options.organisationId ?? null,
      subjectAccountId: options.subjectAccountId ?? null,
      detail: { path: pagePath(options.path) },
    }),
  );
}

/** Who a search is recorded as: nobody in particular (PRIV-2b). */
export function anonymousActor(channel: Channel = "web"): Actor {
  return { accountId: null, label: "Anonymous", channel, clientAddress: null, userAgent: null };
}

export interface RecordSearchOptions {
  clock: Clock;
  /** What was searched for: the filters as typed (empty ones left out). */
  terms: Record<string, string>;
  /** Which search: "audit log", "accounts" … */
  scope: string;
  channel?: Channel;
}

/** Records search.performed with the terms and no account, organisation, address or browser. */
export async function recordSearch(db: Executor, options: RecordSearchOptions): Promise<void> {
  await db.transaction((tx) =>
    recordAudit(tx, anonymousActor(options.channel), options.clock, {
      action: "search.performed",
      detail: { scope: options.scope, terms: options.terms },
    }),
  );
}
