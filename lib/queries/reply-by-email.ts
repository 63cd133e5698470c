import { eq, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { loadViewer } from "../auth/permissions";
import { accounts } from "../db/schema/accounts";
import { queryThreads } from "../db/schema/queries";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { querySide } from "./access";
import { appendMessage } from "./add-query-message";
import { parseQueryReference, queryReference } from "./rules";
import { replyInputSchema } from "./schema";

/**
 * AUP-2.1d by email: a reply whose subject carries a query reference ([QRY-000123]) is appended
 * to that thread — for the email intake to call. The sender must be an active account that may
 * write in the thread (operator staff with requests:edit, or a provider user of the thread's
 * organisation with queries:edit), and the caller must have authenticated the From address
 * (DMARC/DKIM/SPF on our own server's Authentication-Results). Anything else is refused with a
 * reason for the intake to route to staff; nothing is written.
 */
export async function addQueryMessageFromEmail(options: {
  db: Database;
  clock: Clock;
  config: PortalConfig;
  baseUrl: string;
  subject: string;
  from: string;
  /** Did our own mail server authenticate the From address? */
  senderAuthenticated: boolean;
  /** The reply's text with quoted history already removed. */
  body: string;
}): Promise<{ ok: true; queryId: string; reference: string; messageId: string } | { ok: false; reason: "no_reference" | "unknown_query" | "unauthenticated" | "not_allowed" | "empty" }> {
  const { db, clock, config } = options;
  const number = parseQueryReference(options.subject);
  if (number === null) return { ok: false, reason: "no_reference" };
  const parsed = replyInputSchema.safeParse({ body: options.body });
  if (!parsed.success) return { ok: false, reason: "empty" };
  if (!options.senderAuthenticated) return { ok: false, reason: "unauthenticated" };
  const [account] = await db.select({ id: accounts.id, fullName: accounts.fullName }).from(accounts).where(sql`lower(${accounts.email}) = ${options.from.trim().toLowerCase()}`);
  const viewer = account ? await loadViewer(db, config, { accountId: account.id, sessionId: "email" }) : null;
  if (!viewer) return { ok: false, reason: "not_allowed" };
  try {
    return await db.transaction(async (tx) => {
      const [thread] = await tx.select().from(queryThreads).where(eq(queryThreads.number, number)).for("update");
      if (!thread) throw new AppError("not_found", `no query ${number}`);
      const side = querySide(viewer, thread, "edit");
      if (!side) throw new AppError("forbidden", `${viewer.email} may not write in ${queryReference(number)}`);
      const actor = { accountId: viewer.accountId, label: viewer.fullName, channel: "email" as const };
      const { messageId } = await appendMessage(tx, { actor, clock, config, baseUrl: options.baseUrl, thread, side, body: parsed.data.body });
      return { ok: true as const, queryId: thread.id, reference: queryReference(number), messageId };
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return { ok: false, reason: "unknown_query" };
    if (error instanceof AppError && error.code === "forbidden") return { ok: false, reason: "not_allowed" };
    throw error;
  }
}
