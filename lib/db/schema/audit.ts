import { bigint, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { at } from "./columns";

/**
 * The audit log (UAP-4.4, AUP-7.1). Append-only: triggers in the custom migration refuse
 * UPDATE, DELETE and TRUNCATE. Each row's hash covers its canonical encoding and the previous
 * row's hash, so `portal audit verify` can name the first row that was altered.
 * No foreign keys: the log must outlive and never block anything it describes.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    id: uuid("id").notNull().unique(),
    occurredAt: at("occurred_at").notNull(),
    action: text("action").notNull(),
    channel: text("channel").notNull(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    organisationId: uuid("organisation_id"),
    subjectAccountId: uuid("subject_account_id"),
    requestId: uuid("request_id"),
    clientAddress: text("client_address"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_actor_idx").on(t.actorId, t.seq),
    index("audit_events_subject_idx").on(t.subjectAccountId, t.seq),
    index("audit_events_organisation_idx").on(t.organisationId, t.seq),
    index("audit_events_action_idx").on(t.action, t.seq),
    index("audit_events_occurred_idx").on(t.occurredAt),
    // Audit searches (lib/audit/search-audit.ts, UAP-A.9): a rare channel, and an action prefix
    // such as "request." under any collation (LIKE 'request.%' needs text_pattern_ops outside "C").
    index("audit_events_channel_idx").on(t.channel, t.occurredAt),
    index("audit_events_action_pattern_idx").on(t.action.op("text_pattern_ops")),
  ],
);
