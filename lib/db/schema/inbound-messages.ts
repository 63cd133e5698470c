import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";
import { requests } from "./requests";

/**
 * Every message the email intake has taken from the operator mailbox (issue 7), one row each.
 * The row is inserted when the message is claimed — in the same transaction as whatever the
 * message causes — so its unique keys (the Message-ID's digest and the raw message's sha256)
 * make processing idempotent: a second copy, a retry after a crash, or a concurrent run finds
 * the row and does nothing. What was decided, and why, is kept for staff (/staff/intake).
 */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The Message-ID without angle brackets, lower-cased (null when the message had none). */
    messageId: text("message_id"),
    /** sha256 of messageId: the unique key (Message-IDs may be up to 998 characters). */
    messageIdHash: text("message_id_hash"),
    /** sha256 of the raw message: the same bytes are the same message. */
    contentHash: text("content_hash").notNull(),
    /** Where it was read: mailbox, UIDVALIDITY and UID (null for a replay from the CLI). */
    mailbox: text("mailbox"),
    uidValidity: text("uid_validity"),
    uid: integer("uid"),
    size: integer("size"),
    fromAddress: text("from_address"),
    fromName: text("from_name"),
    subject: text("subject"),
    /** The intake kind (reinstatement, leaver, … unclassified); null only while being processed. */
    classification: text("classification"),
    /** What was done: request_submitted, note_added, bulk_imported, ignored, bounce_recorded, needs_attention, refused. */
    action: text("action"),
    /** processed or needs_attention: the mailbox folder it was filed in. */
    folder: text("folder"),
    /** Why, in words staff can read (the classification rule and the outcome). */
    reason: text("reason"),
    senderVerified: boolean("sender_verified").notNull().default(false),
    /** The Authentication-Results verdict (SPF, DKIM, DMARC) as lib/intake/authentication.ts read it. */
    authentication: jsonb("authentication").$type<Record<string, unknown>>(),
    requestId: uuid("request_id").references(() => requests.id),
    processedAt: at("processed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("inbound_messages_content_hash").on(t.contentHash),
    uniqueIndex("inbound_messages_message_id_hash").on(t.messageIdHash).where(sql`${t.messageIdHash} is not null`),
    index("inbound_messages_processed_idx").on(t.processedAt.desc()),
    index("inbound_messages_request_idx").on(t.requestId),
  ],
);
