import { and, eq, isNull, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import { oneTimeLinks, type linkPurposes } from "../db/schema/auth";
import type { Executor } from "../db/types";
import { hashToken, newLinkToken } from "./one-time-tokens";

export type LinkPurpose = (typeof linkPurposes)[number];

/** Issues a single-use link token; earlier unused links of the same purpose stop working. */
export async function issueLink(tx: Executor, clock: Clock, accountId: string, purpose: LinkPurpose, validHours: number): Promise<string> {
  const now = clock.now();
  await tx
    .update(oneTimeLinks)
    .set({ usedAt: now })
    .where(and(eq(oneTimeLinks.accountId, accountId), eq(oneTimeLinks.purpose, purpose), isNull(oneTimeLinks.usedAt)));
  const token = newLinkToken();
  await tx.insert(oneTimeLinks).values({ accountId, purpose, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + validHours * 3_600_000) });
  return token;
}

/** The link's account if the token is live (unused, unexpired) — without using it. */
export async function peekLink(db: Executor, clock: Clock, token: string, purpose: LinkPurpose): Promise<{ linkId: string; accountId: string } | null> {
  // The token arrives from a URL or a form: anything but text is no link (never a TypeError, issue 11).
  if (typeof token !== "string" || token.length === 0 || token.length > 512) return null;
  const [link] = await db
    .select({ linkId: oneTimeLinks.id, accountId: oneTimeLinks.accountId })
    .from(oneTimeLinks)
    .where(and(eq(oneTimeLinks.tokenHash, hashToken(token)), eq(oneTimeLinks.purpose, purpose), isNull(oneTimeLinks.usedAt), sql`${oneTimeLinks.expiresAt} > ${clock.now()}`))
    .limit(1);
  return link ?? null;
}

/** Uses the link atomically: true once, false for every later (or concurrent) use. */
export async function useLink(tx: Executor, clock: Clock, linkId: string): Promise<boolean> {
  const used = await tx
    .update(oneTimeLinks)
    .set({ usedAt: clock.now() })
    .where(and(eq(oneTimeLinks.id, linkId), isNull(oneTimeLinks.usedAt)))
    .returning({ id: oneTimeLinks.id });
  return used.length === 1;
}
