import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt } from "./columns";
import { requests } from "./requests";

export const outboundStatuses = ["pending", "sending", "sent", "failed", "dead"] as const;

/**
 * The transactional outbox: a message is written in the same transaction as the change
 * that causes it, then delivered by the worker (or read by staff when no mail service is set).
 */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    to: jsonb("to").$type<string[]>().notNull(),
    cc: jsonb("cc").$type<string[]>().notNull().default([]),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    requestId: uuid("request_id").references(() => requests.id),
    /** Sent to the mail service so a retried delivery is never sent twice. */
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status", { enum: outboundStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: at("sent_at"),
    /** Messages carrying a secret (set-up link, one-time code) are hidden from the staff outbox view in production. */
    sensitive: boolean("sensitive").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outbound_messages_idempotency_key").on(t.idempotencyKey),
    index("outbound_messages_due_idx").on(t.status, t.nextAttemptAt),
    check("outbound_messages_status_check", sql`${t.status} in ('pending','sending','sent','failed','dead')`),
  ],
);
