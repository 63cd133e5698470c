import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

export const organisationKinds = ["operator", "provider"] as const;
export const organisationStatuses = ["onboarding", "active", "closing", "closed"] as const;
/** Types named by the seeds; DSPT "Standards Met" is required for the non-NHS ones (UCP-ORG-1). */
export const organisationTypes = [
  "local_authority",
  "nhs_trust",
  "gp_practice",
  "icb",
  "social_care",
  "care_home",
  "domiciliary_care",
  "charity",
  "other_non_nhs",
] as const;

export const organisations = pgTable(
  "organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    odsCode: text("ods_code").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: organisationKinds }).notNull(),
    type: text("type", { enum: organisationTypes }).notNull(),
    status: text("status", { enum: organisationStatuses }).notNull().default("onboarding"),
    address: text("address"),
    /** Eligibility checklist and onboarding evidence (UCP-ORG-1..3), kept on the organisation. */
    eligibility: jsonb("eligibility").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("organisations_ods_code_key").on(sql`upper(${t.odsCode})`),
    check("organisations_kind_check", sql`${t.kind} in ('operator', 'provider')`),
    check("organisations_status_check", sql`${t.status} in ('onboarding', 'active', 'closing', 'closed')`),
  ],
);

/** A licence allocation per organisation per year (CC-2a). */
export const licenceAllocations = pgTable(
  "licence_allocations",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    year: integer("year").notNull(),
    allocation: integer("allocation").notNull(),
    /** The highest threshold crossing already alerted this year, so each crossing alerts once. */
    alertedAt: integer("alerted_at_percent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.year] }),
    check("licence_allocations_allocation_check", sql`${t.allocation} >= 0`),
  ],
);
