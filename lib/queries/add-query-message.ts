import { eq } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import type { Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { queryMessages, queryThreads } from "../db/schema/queries";
import type { Database, Executor } from "../db/types";
import { enqueueMessage } from "../mail/enqueue-message";
import { parseOrThrow } from "../validation";
import { threadFor, type QueryThreadRow } from "./access";
import { queryReference, statusAfterMessage } from "./rules";
import { replyInputSchema } from "./schema";

export interface AddQueryMessageOptions {
  db: Database;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  viewer: Viewer;
  /** The portal's public address, for the link in the email. */
  baseUrl: string;
  threadId: string;
  /** Unparsed: { body }. */
  input: unknown;
}

/**
 * AUP-2.1d: a reply in a query thread — from the provider (queries:edit, own organisation) or
 * from operator staff (requests:edit). The message is appended (never edited, AUP-5.2e), the
 * thread's turn moves to the other side, the audit event is written and, for a staff reply, the
 * person who opened the query is emailed — all in one transaction.
 */
export async function addQueryMessage(options: AddQueryMessageOptions): Promise<{ messageId: string }> {
  const { db, actor, clock, config, viewer, threadId, baseUrl } = options;
  const { body } = parseOrThrow(replyInputSchema, options.input);
  return db.transaction(async (tx) => {
    const { thread, side } = await threadFor(tx, viewer, threadId, "edit", true);
    return appendMessage(tx, { actor, clock, config, baseUrl, thread, side, body });
  });
}

/** The one way a message enters a thread (web and email alike): insert, turn, audit, notify. */
export async function appendMessage(
  tx: Executor,
  options: { actor: Actor; clock: Clock; config: PortalConfig; baseUrl: string; thread: QueryThreadRow; side: "provider" | "operator"; body: string },
): Promise<{ messageId: string }> {
  const { actor, clock, config, baseUrl, thread, side, body } = options;
  const now = clock.now();
  const [message] = await tx
    .insert(queryMessages)
    .values({ threadId: thread.id, side, authorId: actor.accountId, authorLabel: actor.label, channel: actor.channel, body, createdAt: now })
    .returning({ id: queryMessages.id });
  await tx.update(queryThreads).set({ status: statusAfterMessage(side), lastMessageAt: now, updatedAt: now }).where(eq(queryThreads.id, thread.id));
  const reference = queryReference(thread.number);
  await recordAudit(tx, actor, clock, {
    action: side === "operator" ? "query.answered" : "query.replied",
    organisationId: thread.organisationId,
    detail: { queryId: thread.id, reference, messageId: message!.id },
  });
  if (side === "operator" && thread.openedById) await notifyOpener(tx, config, baseUrl, thread, body, message!.id);
  return { messageId: message!.id };
}

/**
 * Tells the person who opened the query that staff replied. The subject carries the reference,
 * so answering the email comes back into the thread through the intake. Only a message to the
 * operator quotes the reply: a query about a person or a payment may carry personal data, which
 * stays behind the sign-in.
 */
async function notifyOpener(tx: Executor, config: PortalConfig, baseUrl: string, thread: QueryThreadRow, body: string, messageId: string): Promise<void> {
  const [opener] = await tx.select({ email: accounts.email, fullName: accounts.fullName, status: accounts.status }).from(accounts).where(eq(accounts.id, thread.openedById!));
  if (!opener || opener.status !== "active") return;
  const reference = queryReference(thread.number);
  const path = `/portal/queries/${thread.id}`;
  await enqueueMessage(tx, {
    kind: "query_reply",
    to: [opener.email],
    subject: `[${reference}] Reply to: ${thread.subject}`,
    text: [
      `Dear ${opener.fullName},`,
      "",
      `${config.operator.teamName} replied to ${reference} ("${thread.subject}").`,
      "",
      ...(thread.topic === "operator" ? [body, ""] : [`Sign in to read the reply: ${baseUrl}${path}`, ""]),
      "To answer, reply to this email keeping the reference in the subject, or sign in to the portal.",
      "Messages form part of the official record and are kept.",
    ].join("\n"),
    idempotencyKey: `query_reply:${messageId}`,
  });
}
