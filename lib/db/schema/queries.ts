import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgSequence, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { individuals, payments } from "./care";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";
import { channels } from "./requests";

/** What a query is about (AUP-2.1d); "operator" is a message from the contacts page's "Contact the operator". */
export const queryTopics = ["individual", "payment", "operator"] as const;
export type QueryTopic = (typeof queryTopics)[number];
/** Whose turn it is: the operator's staff, or the provider. */
export const queryStatuses = ["awaiting_operator", "awaiting_provider", "closed"] as const;
export type QueryStatus = (typeof queryStatuses)[number];

/** Query references (QRY-000123) from one sequence, so web and email replies share them. */
export const queryNumberSeq = pgSequence("query_number_seq", { startWith: 1 });

/** A query thread between a provider organisation and the operator (AUP-2.1d). */
export const queryThreads = pgTable(
  "query_threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: bigint("number", { mode: "number" })
      .notNull()
      .default(sql`nextval('query_number_seq')`),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    topic: text("topic", { enum: queryTopics }).notNull(),
    individualId: uuid("individual_id").references(() => individuals.id),
    paymentId: uuid("payment_id").references(() => payments.id),
    subject: text("subject").notNull(),
    status: text("status", { enum: queryStatuses }).notNull().default("awaiting_operator"),
    openedById: uuid("opened_by_id").references(() => accounts.id),
    openedByLabel: text("opened_by_label").notNull(),
    lastMessageAt: at("last_message_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("query_threads_number_key").on(t.number),
    index("query_threads_organisation_idx").on(t.organisationId, t.lastMessageAt),
    index("query_threads_queue_idx").on(t.status, t.lastMessageAt),
    check("query_threads_topic_check", sql`${t.topic} in ('individual','payment','operator')`),
    check("query_threads_status_check", sql`${t.status} in ('awaiting_operator','awaiting_provider','closed')`),
    check(
      "query_threads_subject_check",
      sql`(${t.topic} = 'individual' and ${t.individualId} is not null) or (${t.topic} = 'payment' and ${t.paymentId} is not null) or ${t.topic} = 'operator'`,
    ),
  ],
);

export const querySides = ["provider", "operator"] as const;

/**
 * A message in a query thread. Part of the official record (AUP-5.2e): the database refuses
 * UPDATE and DELETE (custom migration), so a message is never edited or removed.
 */
export const queryMessages = pgTable(
  "query_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Orders messages written in the same instant. */
    seq: integer("seq").generatedAlwaysAsIdentity(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => queryThreads.id),
    side: text("side", { enum: querySides }).notNull(),
    authorId: uuid("author_id").references(() => accounts.id),
    authorLabel: text("author_label").notNull(),
    channel: text("channel", { enum: channels }).notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("query_messages_thread_idx").on(t.threadId, t.seq), check("query_messages_side_check", sql`${t.side} in ('provider','operator')`)],
);
