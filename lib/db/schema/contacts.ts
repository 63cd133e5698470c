import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";
import { channels } from "./requests";

/** The key contact roles a provider keeps current for the operator (AUP-2.1a). */
export const contactRoles = ["registered_manager", "nominated_individual", "finance", "out_of_hours", "safeguarding", "data_protection", "other"] as const;
export type ContactRole = (typeof contactRoles)[number];

/**
 * A provider organisation's key contact (AUP-2.1a). A contact who leaves is marked removed,
 * never deleted, so the history below always names a row that exists.
 */
export const organisationContacts = pgTable(
  "organisation_contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    role: text("role", { enum: contactRoles }).notNull(),
    /** What the role is called when it is "other" (e.g. "Deputy manager"). */
    roleLabel: text("role_label"),
    fullName: text("full_name").notNull(),
    jobTitle: text("job_title"),
    email: text("email"),
    phone: text("phone"),
    /** When they can be reached (e.g. "Weekdays 9am to 5pm", "24 hours"). */
    availability: text("availability"),
    removedAt: at("removed_at"),
    /** Optimistic concurrency: two people editing one contact cannot overwrite each other unseen. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("organisation_contacts_organisation_idx").on(t.organisationId, t.role),
    check("organisation_contacts_role_check", sql`${t.role} in ('registered_manager','nominated_individual','finance','out_of_hours','safeguarding','data_protection','other')`),
  ],
);

export const contactChangeKinds = ["added", "changed", "removed"] as const;

/**
 * Who changed which contact, what and when (AUP-2.1a). Append-only: the database refuses
 * UPDATE and DELETE (drizzle custom migration), so the page's history is the record.
 */
export const organisationContactChanges = pgTable(
  "organisation_contact_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Orders entries made in the same instant. */
    seq: integer("seq").generatedAlwaysAsIdentity(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => organisationContacts.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    change: text("change", { enum: contactChangeKinds }).notNull(),
    /** Field → { from, to } for the fields that changed (all of them when added). */
    fields: jsonb("fields").$type<Record<string, { from: string | null; to: string | null }>>().notNull(),
    actorId: uuid("actor_id").references(() => accounts.id),
    actorLabel: text("actor_label").notNull(),
    channel: text("channel", { enum: channels }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("organisation_contact_changes_organisation_idx").on(t.organisationId, t.seq)],
);
