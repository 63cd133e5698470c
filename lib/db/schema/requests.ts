import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgSequence, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";

export const requestTypes = [
  "new_user",
  "role_change",
  "suspension",
  "reinstatement",
  "end_date_change",
  "lead_change",
] as const;
/** The ticket lifecycle of UCP-HD-1. */
export const requestStatuses = [
  "received",
  "prioritised",
  "assigned",
  "in_progress",
  "resolved",
  "rejected",
  "closed",
  "archived",
] as const;
export const requestPriorities = ["urgent", "high", "normal", "low"] as const;
export const channels = ["web", "email", "slack", "cli", "job", "system"] as const;

/** Request references (REQ-000123) come from one sequence, so every channel shares them. */
export const requestNumberSeq = pgSequence("request_number_seq", { startWith: 1 });

export const requests = pgTable(
  "requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: bigint("number", { mode: "number" })
      .notNull()
      .default(sql`nextval('request_number_seq')`),
    type: text("type", { enum: requestTypes }).notNull(),
    status: text("status", { enum: requestStatuses }).notNull().default("received"),
    priority: text("priority", { enum: requestPriorities }).notNull().default("normal"),
    title: text("title").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The account the request is about (null for a new user until it is created). */
    subjectAccountId: uuid("subject_account_id").references(() => accounts.id),
    requestedById: uuid("requested_by_id").references(() => accounts.id),
    channel: text("channel", { enum: channels }).notNull(),
    /** The parsed request body for its type (validated by lib/requests/schema.ts). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    assigneeId: uuid("assignee_id").references(() => accounts.id),
    receivedAt: at("received_at").notNull().defaultNow(),
    dueAt: at("due_at").notNull(),
    resolvedAt: at("resolved_at"),
    closedAt: at("closed_at"),
    resolution: text("resolution"),
    /** Optimistic concurrency: two staff acting at once can never both apply a request. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("requests_number_key").on(t.number),
    index("requests_queue_idx").on(t.status, t.dueAt),
    index("requests_organisation_idx").on(t.organisationId, t.createdAt),
    index("requests_assignee_idx").on(t.assigneeId, t.status),
    /** The SLA record of the last 30 days (CC-5) reads actioned requests by when they were actioned. */
    index("requests_resolved_idx").on(t.resolvedAt),
    // The queue over every status, soonest due first, reads in index order instead of sorting.
    index("requests_due_idx").on(t.dueAt, t.number),
    check("requests_status_check", sql`${t.status} in ('received','prioritised','assigned','in_progress','resolved','rejected','closed','archived')`),
  ],
);

/** Internal notes on a request: kept, never edited or deleted (AUP-5.2e). */
export const requestNotes = pgTable(
  "request_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id),
    authorId: uuid("author_id").references(() => accounts.id),
    authorLabel: text("author_label").notNull(),
    channel: text("channel", { enum: channels }).notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("request_notes_request_idx").on(t.requestId, t.createdAt)],
);
