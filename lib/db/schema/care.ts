import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, numeric, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";

/*
 * Data that comes from the operator's finance and care-management system (issue 10).
 * The portal never authors these rows: the feed importer (lib/feeds) upserts them by the
 * source system's identifiers (`source_id`, unique per table) and never deletes them — an
 * ended package is marked ended. Money is whole pence (bigint), dates are calendar dates.
 * Indexes are sized for 1,000 organisations, 200,000 purchase orders and 1,000,000 lines
 * (bench/portal.ts): every provider list starts from its organisation.
 */

export const carePackageStatuses = ["active", "ended"] as const;
export const purchaseOrderStatuses = ["live", "suspended", "closed", "cancelled"] as const;
export const paymentStatuses = ["scheduled", "paid", "held", "cancelled"] as const;

/** A person receiving care. Not tied to one organisation: who sees them follows their packages. */
export const individuals = pgTable(
  "individuals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    fullName: text("full_name").notNull(),
    dateOfBirth: date("date_of_birth", { mode: "string" }),
    /** An NHS-number-like reference from the source system, when it has one. */
    nhsNumber: text("nhs_number"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("individuals_source_id_key").on(t.sourceId)],
);

/**
 * A care package: one service one organisation provides to one individual. Need to know
 * (issue 10 §8) reads it: a provider sees an individual while a package is active, or ended
 * within `care.endedPackageVisibleDays`.
 */
export const carePackages = pgTable(
  "care_packages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    individualId: uuid("individual_id")
      .notNull()
      .references(() => individuals.id),
    service: text("service").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    status: text("status", { enum: carePackageStatuses }).notNull().default("active"),
    /** The contract's rule on whether the provider may see payments for this package (AUP-2.1e). */
    paymentsVisible: boolean("payments_visible").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("care_packages_source_id_key").on(t.sourceId),
    index("care_packages_organisation_idx").on(t.organisationId, t.status, t.endDate),
    index("care_packages_individual_idx").on(t.individualId),
    check("care_packages_status_check", sql`${t.status} in ('active', 'ended')`),
    check("care_packages_dates_check", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
  ],
);

/** A purchase order for a care package (AUP-2.1b). Totals are kept by the importer from its lines. */
export const purchaseOrders = pgTable(
  "purchase_orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    carePackageId: uuid("care_package_id")
      .notNull()
      .references(() => carePackages.id),
    number: text("number").notNull(),
    status: text("status", { enum: purchaseOrderStatuses }).notNull().default("live"),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }),
    /** Sum of the lines' cost and their count, recomputed by the importer for touched orders. */
    totalPence: bigint("total_pence", { mode: "number" }).notNull().default(0),
    lineCount: bigint("line_count", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("purchase_orders_source_id_key").on(t.sourceId),
    // The provider list: one organisation's orders by status, newest period first.
    index("purchase_orders_organisation_idx").on(t.organisationId, t.status, t.periodFrom.desc(), t.id),
    index("purchase_orders_organisation_number_idx").on(t.organisationId, sql`upper(${t.number})`),
    index("purchase_orders_care_package_idx").on(t.carePackageId),
    check("purchase_orders_status_check", sql`${t.status} in ('live', 'suspended', 'closed', 'cancelled')`),
  ],
);

/** A line item of a purchase order: service, units, rate, period and cost. */
export const purchaseOrderLines = pgTable(
  "purchase_order_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    purchaseOrderId: uuid("purchase_order_id")
      .notNull()
      .references(() => purchaseOrders.id),
    service: text("service").notNull(),
    /** Units can be fractional (10.5 hours), so a fixed-point number read as a string. */
    units: numeric("units", { precision: 12, scale: 2 }).notNull(),
    unit: text("unit").notNull(),
    ratePence: bigint("rate_pence", { mode: "number" }).notNull(),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }).notNull(),
    costPence: bigint("cost_pence", { mode: "number" }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("purchase_order_lines_source_id_key").on(t.sourceId),
    index("purchase_order_lines_order_idx").on(t.purchaseOrderId, t.periodFrom, t.id),
    check("purchase_order_lines_period_check", sql`${t.periodTo} >= ${t.periodFrom}`),
  ],
);

/** A scheduled payment to an organisation (AUP-2.1e), shown only where its package allows. */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    carePackageId: uuid("care_package_id").references(() => carePackages.id),
    /** The contract or package reference as the finance system prints it. */
    reference: text("reference").notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    amountPence: bigint("amount_pence", { mode: "number" }).notNull(),
    status: text("status", { enum: paymentStatuses }).notNull().default("scheduled"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("payments_source_id_key").on(t.sourceId),
    index("payments_organisation_idx").on(t.organisationId, t.dueDate.desc()),
    index("payments_care_package_idx").on(t.carePackageId),
    check("payments_status_check", sql`${t.status} in ('scheduled', 'paid', 'held', 'cancelled')`),
  ],
);

/** A remittance advice: what was paid to an organisation on a date, line by line. */
export const remittances = pgTable(
  "remittances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The advice number printed on the remittance. */
    reference: text("reference").notNull(),
    paymentDate: date("payment_date", { mode: "string" }).notNull(),
    totalPence: bigint("total_pence", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("remittances_source_id_key").on(t.sourceId),
    index("remittances_organisation_idx").on(t.organisationId, t.paymentDate.desc()),
  ],
);

export const remittanceLines = pgTable(
  "remittance_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: text("source_id").notNull(),
    remittanceId: uuid("remittance_id")
      .notNull()
      .references(() => remittances.id),
    carePackageId: uuid("care_package_id").references(() => carePackages.id),
    purchaseOrderNumber: text("purchase_order_number"),
    description: text("description").notNull(),
    periodFrom: date("period_from", { mode: "string" }),
    periodTo: date("period_to", { mode: "string" }),
    amountPence: bigint("amount_pence", { mode: "number" }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("remittance_lines_source_id_key").on(t.sourceId),
    index("remittance_lines_remittance_idx").on(t.remittanceId),
    index("remittance_lines_care_package_idx").on(t.carePackageId),
  ],
);
