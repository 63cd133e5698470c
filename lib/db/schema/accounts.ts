import { sql } from "drizzle-orm";
import { check, date, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";

export const accountStatuses = ["pending", "active", "suspended"] as const;
export const accountAudiences = ["provider", "operator"] as const;

/**
 * A person and their account: one named email each (UAP-2.2), belonging to one organisation.
 * Accounts are never deleted (UAP-4.3c): the table refuses DELETE (see the custom migration).
 */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    audience: text("audience", { enum: accountAudiences }).notNull(),
    fullName: text("full_name").notNull(),
    email: text("email").notNull(),
    status: text("status", { enum: accountStatuses }).notNull().default("pending"),
    jobTitle: text("job_title"),
    registrationBody: text("registration_body"),
    registrationNumber: text("registration_number"),
    endDate: date("end_date", { mode: "string" }),
    igTrainingDate: date("ig_training_date", { mode: "string" }),
    lastSignInAt: at("last_sign_in_at"),
    activatedAt: at("activated_at"),
    suspendedAt: at("suspended_at"),
    suspensionReason: text("suspension_reason"),
    /** argon2id PHC string; null until the user completes set-up. */
    passwordHash: text("password_hash"),
    /** AES-256-GCM sealed 6-digit security number; null until set-up. Never logged. */
    securityNumberSealed: text("security_number_sealed"),
    /** Bumped on every secret rotation, suspension or role change: live sessions re-check it. */
    securityStamp: uuid("security_stamp").notNull().defaultRandom(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("accounts_email_key").on(sql`lower(${t.email})`),
    index("accounts_organisation_idx").on(t.organisationId, t.status),
    // Staff pickers (assignees) read the operator's few accounts out of many providers' ones.
    index("accounts_audience_status_name_idx").on(t.audience, t.status, t.fullName),
    check("accounts_status_check", sql`${t.status} in ('pending', 'active', 'suspended')`),
    check("accounts_email_trimmed_check", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);

/** Security roles granted to an account (UAP-2.3: only what was granted). */
export const roleGrants = pgTable(
  "role_grants",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    roleKey: text("role_key").notNull(),
    grantedAt: createdAt(),
    grantedBy: uuid("granted_by").references(() => accounts.id),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.roleKey] })],
);

/** The security-role catalogue as deployed: synced from configuration at start. */
export const securityRoles = pgTable("security_roles", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  audience: text("audience", { enum: accountAudiences }).notNull(),
  description: text("description").notNull().default(""),
  grants: jsonb("grants").$type<Record<string, "read" | "edit">>().notNull().default({}),
  updatedAt: updatedAt(),
});

/** Acceptance of a policy version (AUP-5.1a): who, which version, when. */
export const policyAcceptances = pgTable(
  "policy_acceptances",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    policyKey: text("policy_key").notNull(),
    version: text("version").notNull(),
    acceptedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.policyKey, t.version] })],
);
