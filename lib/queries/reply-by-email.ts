import { eq, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { loadViewer } from "../auth/permissions";
import { accounts } from "../db/schema/accounts";
import { queryThreads } from "../db/schema/queries";
import type { Database, Executor } from "../db/types";
import { querySide } from "./access";
import { appendMessage } from "./add-query-message";
import { parseQueryReference, queryReference } from "./rules";
import { replyInputSchema } from "./schema";

export type QueryReplyRefusal = "no_reference" | "unknown_query" | "unauthenticated" | "not_allowed" | "empty" | "too_long" | "no_portal_address";
export type QueryReplyResult = { ok: true; queryId: string; reference: string; messageId: string; side: "provider" | "operator" } | { ok: false; reason: QueryReplyRefusal };

export interface QueryReplyFromEmail {
  clock: Clock;
  config: PortalConfig;
  /**
   * The portal's public address, for the sign-in link in the email telling the opener that staff
   * replied. Without it a staff reply is refused (a provider's reply sends no email, so needs none).
   */
  baseUrl: string | null;
  /** The query number the email's reference names. */
  number: number;
  from: string;
  /** Did our own mail server authenticate the From address? */
  senderAuthenticated: boolean;
  /** The reply's text with quoted history already removed. */
  body: string;
}

/**
 * AUP-2.1d by email, inside the caller's transaction (the intake's per-message one, so its claim
 * row, the message, its audit event and the outcome commit together). Every check runs before
 * anything is written, so a refusal leaves the transaction untouched and the caller decides
 * what to do with it (the intake files it in Needs attention).
 */
export async function appendQueryReplyFromEmail(tx: Executor, options: QueryReplyFromEmail): Promise<QueryReplyResult> {
  const { clock, config, number } = options;
  const parsed = replyInputSchema.safeParse({ body: options.body });
  if (!parsed.success) return { ok: false, reason: options.body.trim() === "" ? "empty" : "too_long" };
  if (!options.senderAuthenticated) return { ok: false, reason: "unauthenticated" };
  const [account] = await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = ${options.from.trim().toLowerCase()}`);
  const viewer = account ? await loadViewer(tx, config, { accountId: account.id, sessionId: "email" }) : null;
  if (!viewer) return { ok: false, reason: "not_allowed" };
  const [thread] = await tx.select().from(queryThreads).where(eq(queryThreads.number, number)).for("update");
  if (!thread) return { ok: false, reason: "unknown_query" };
  const side = querySide(viewer, thread, "edit");
  if (!side) return { ok: false, reason: "not_allowed" };
  if (side === "operator" && !options.baseUrl) return { ok: false, reason: "no_portal_address" };
  const actor = { accountId: viewer.accountId, label: viewer.fullName, channel: "email" as const };
  const { messageId } = await appendMessage(tx, { actor, clock, config, baseUrl: options.baseUrl ?? "", thread, side, body: parsed.data.body });
  return { ok: true, queryId: thread.id, reference: queryReference(number), messageId, side };
}

/**
 * AUP-2.1d by email: a reply whose subject carries a query reference ([QRY-000123]) is appended
 * to that thread. The sender must be an active account that may write in the thread (operator
 * staff with requests:edit, or a provider user of the thread's organisation with queries:edit),
 * and the caller must have authenticated the From address (DMARC/DKIM/SPF on our own server's
 * Authentication-Results). Anything else is refused with a reason; nothing is written.
 */
export async function addQueryMessageFromEmail(options: Omit<QueryReplyFromEmail, "number" | "baseUrl"> & { db: Database; baseUrl: string; subject: string }): Promise<QueryReplyResult> {
  const number = parseQueryReference(options.subject);
  if (number === null) return { ok: false, reason: "no_reference" };
  const { db, ...rest } = options;
  return db.transaction((tx) => appendQueryReplyFromEmail(tx, { ...rest, number }));
}
