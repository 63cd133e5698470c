import { eq } from "drizzle-orm";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import { accounts } from "../db/schema/accounts";
import type { Executor } from "../db/types";

/**
 * CC-7e: users must not look up their own or colleagues' information; such look-ups are
 * flagged for review when detectable. Detectable here means: a search, or an individual's
 * record opened, that names the user or someone with an account at the same organisation
 * (any status — a suspended colleague is still a colleague) by first and last name, in any
 * order and case ("Priya Shah", "shah, priya", "Priya K. Shah"). A surname alone is not
 * flagged: it would flag every search for a common name.
 *
 * The flag (`lookup.flagged`) names the searcher and the account whose name matched, but not
 * the search terms: the terms stay in the anonymous search record (PRIV-2b). Staff review the
 * flags at Back office → Flagged look-ups.
 */

export const LOOKUP_FLAGGED = "lookup.flagged";

/** Lower-case words of letters only (accents folded), so punctuation and spacing never matter. */
export function nameWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

/** Does the text name the person: both their first and their last name appear as words? */
export function namesPerson(text: string, fullName: string): boolean {
  const person = nameWords(fullName);
  if (person.length < 2) return false;
  const words = new Set(nameWords(text));
  return words.has(person[0]!) && words.has(person.at(-1)!);
}

export interface LookupMatch {
  match: "own" | "colleague";
  accountId: string;
}

/** The first account of the organisation (the viewer's own first) that the text names, if any. */
export async function findColleagueMatch(db: Executor, viewer: { accountId: string; organisationId: string }, texts: string[]): Promise<LookupMatch | null> {
  const wanted = texts.filter((t) => t.trim() !== "");
  if (wanted.length === 0) return null;
  const people = await db.select({ id: accounts.id, fullName: accounts.fullName }).from(accounts).where(eq(accounts.organisationId, viewer.organisationId));
  people.sort((a, b) => Number(b.id === viewer.accountId) - Number(a.id === viewer.accountId));
  for (const person of people) {
    if (wanted.some((text) => namesPerson(text, person.fullName))) return { match: person.id === viewer.accountId ? "own" : "colleague", accountId: person.id };
  }
  return null;
}

/** Records lookup.flagged against the searcher (the actor), in the caller's transaction. */
export async function flagLookup(
  tx: Executor,
  actor: Actor,
  clock: Clock,
  flag: LookupMatch & { organisationId: string; via: "search" | "record"; scope: string; individualId?: string | null },
): Promise<void> {
  await recordAudit(tx, actor, clock, {
    action: LOOKUP_FLAGGED,
    organisationId: flag.organisationId,
    subjectAccountId: flag.accountId,
    detail: { match: flag.match, via: flag.via, scope: flag.scope, ...(flag.individualId ? { individualId: flag.individualId } : {}) },
  });
}
