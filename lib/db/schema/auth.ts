import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { at, createdAt } from "./columns";

/**
 * A sign-in in progress (AUP-4.2, UCP-NET-1): password checked, then the security-number
 * digits at positions chosen for this attempt, then (off trusted networks) an emailed code.
 * Unknown emails get an attempt too, with no account, so every path looks the same.
 */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").references(() => accounts.id),
    stage: text("stage", { enum: ["digits", "email_code", "complete", "failed", "used"] }).notNull(),
    /** 1-based positions of the security number asked for in this attempt. */
    positions: integer("positions").array().notNull(),
    /** Whether the password was right; kept so a wrong password fails only after the digits step. */
    passwordOk: boolean("password_ok").notNull(),
    trustedNetwork: boolean("trusted_network").notNull(),
    /** SHA-256 of the emailed one-time code. */
    emailCodeHash: text("email_code_hash"),
    emailCodeExpiresAt: at("email_code_expires_at"),
    clientAddress: text("client_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("sign_in_attempts_account_idx").on(t.accountId, t.createdAt)],
);

/** A signed-in session; the authentication cookie carries only its id. Ended rows stay as the record. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    /** The account's security stamp when the session began: a rotation, suspension or role change ends it. */
    securityStamp: uuid("security_stamp").notNull(),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
    endedAt: at("ended_at"),
    endReason: text("end_reason"),
    clientAddress: text("client_address"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_account_idx").on(t.accountId, t.endedAt)],
);

export const linkPurposes = ["setup", "reset_password", "reset_security_number"] as const;

/** Single-use emailed links (account set-up, resets). Only the token's hash is stored. */
export const oneTimeLinks = pgTable(
  "one_time_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    purpose: text("purpose", { enum: linkPurposes }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [check("one_time_links_purpose_check", sql`${t.purpose} in ('setup','reset_password','reset_security_number')`)],
);

/**
 * Consecutive sign-in failures and lockouts, per account ("account:<id>") and per client
 * address ("address:<ip>"): 5 failures lock for 15 minutes, doubling on each repeat.
 */
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockouts: integer("lockouts").notNull().default(0),
  lockedUntil: at("locked_until"),
  updatedAt: at("updated_at").notNull().defaultNow(),
});
