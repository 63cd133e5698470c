import { z } from "zod";
import { carePackageStatuses, paymentStatuses, purchaseOrderStatuses } from "../db/schema/care";
import { feedBoolean, feedChoice, feedDate, feedMoney, feedNhsNumber, feedUnits, type Reading } from "./values";

/**
 * The kinds of record the operator's finance and care-management system sends (issue 10 §2),
 * and for each the columns a feed file has: a field, the label a person reads in the row
 * report, and the header spellings accepted (compared without case, spaces or punctuation, so
 * "Source ID", "source_id" and JSON's "sourceId" are one column). One zod schema a kind turns
 * a row of text into typed values, or into messages naming the column.
 */

export const feedKindNames = ["individuals", "care_packages", "purchase_orders", "purchase_order_lines", "payments", "remittances", "remittance_lines"] as const;
export type FeedKind = (typeof feedKindNames)[number];
export const feedKindSchema = z.enum(feedKindNames, { error: `kind must be one of: ${feedKindNames.join(", ")}` });

export interface FeedColumn {
  field: string;
  label: string;
  /** Accepted header spellings, already in headerKey form. */
  aliases: string[];
}

/** A header as compared: lower case, letters and digits only. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const col = (field: string, label: string, ...aliases: string[]): FeedColumn => ({ field, label, aliases: [headerKey(field), headerKey(label), ...aliases.map(headerKey)] });

const sourceId = col("sourceId", "Source ID", "id", "source");
const organisation = col("organisation", "Organisation ODS code", "organisation ods", "ods code", "ods", "organization", "provider", "provider ods");
const carePackage = col("carePackage", "Care package source ID", "care package", "package", "package id", "care package id");

export const feedColumns: Record<FeedKind, FeedColumn[]> = {
  individuals: [sourceId, col("fullName", "Full name", "name"), col("dateOfBirth", "Date of birth", "dob", "birth date"), col("nhsNumber", "NHS number", "nhs no", "nhs reference")],
  care_packages: [
    sourceId,
    organisation,
    col("individual", "Individual source ID", "individual id", "person", "person id"),
    col("service", "Service"),
    col("startDate", "Start date", "start"),
    col("endDate", "End date", "end"),
    col("status", "Status"),
    col("paymentsVisible", "Payments visible", "show payments", "payments visible to provider"),
  ],
  purchase_orders: [
    sourceId,
    carePackage,
    col("organisation", "Organisation ODS code", "organisation ods", "ods code", "ods", "organization", "provider"),
    col("number", "Purchase order number", "po number", "order number", "po"),
    col("status", "Status"),
    col("periodFrom", "Period from", "from", "start date"),
    col("periodTo", "Period to", "to", "end date"),
  ],
  purchase_order_lines: [
    sourceId,
    col("purchaseOrder", "Purchase order source ID", "purchase order", "order", "order id", "purchase order id"),
    col("service", "Service"),
    col("units", "Units", "quantity", "qty"),
    col("unit", "Unit", "unit of measure", "per"),
    col("rate", "Rate", "unit rate", "rate gbp"),
    col("periodFrom", "Period from", "from"),
    col("periodTo", "Period to", "to"),
    col("cost", "Cost", "line cost", "amount", "cost gbp"),
  ],
  payments: [
    sourceId,
    organisation,
    carePackage,
    col("reference", "Reference", "contract reference", "payment reference"),
    col("dueDate", "Due date", "due", "payment date"),
    col("amount", "Amount", "amount gbp"),
    col("status", "Status"),
  ],
  remittances: [sourceId, organisation, col("reference", "Advice number", "reference", "remittance number"), col("paymentDate", "Payment date", "paid on", "date")],
  remittance_lines: [
    sourceId,
    col("remittance", "Remittance source ID", "remittance id", "advice"),
    carePackage,
    col("purchaseOrderNumber", "Purchase order number", "po number", "order number"),
    col("description", "Description", "detail"),
    col("periodFrom", "Period from", "from"),
    col("periodTo", "Period to", "to"),
    col("amount", "Amount", "amount gbp"),
  ],
};

export function labelOf(kind: FeedKind, field: string): string {
  return feedColumns[kind].find((c) => c.field === field)?.label ?? field;
}

// ---------------------------------------------------------------------------------------------
// Cell readers as zod: the message of a failed reading becomes the row report's message.

function reader<T>(read: (raw: string) => Reading<T>) {
  return z.string().transform((raw, ctx): T => {
    const result = read(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.value;
  });
}
const text = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .min(1, `${label} is missing`)
    .max(max, `${label} must be ${max} characters or fewer`)
    .refine((v) => !/[\u0000-\u001f]/.test(v), `${label} must not contain control characters`);
const optionalText = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .transform((v) => (v === "" ? null : v));
const required = <T>(label: string, read: (raw: string, label: string) => Reading<T | null>) =>
  reader((raw) => {
    const result = read(raw, label);
    if (result.ok && result.value === null) return { ok: false, message: `${label} is missing` };
    return result as Reading<T>;
  });
const optional = <T>(label: string, read: (raw: string, label: string) => Reading<T | null>) => reader((raw) => read(raw, label));
const ods = (label: string) => text(label, 10).transform((v) => v.toUpperCase());

function periodCheck(from: string | null, to: string | null, ctx: z.RefinementCtx, fromField: string, toLabel: string, fromLabel: string): void {
  if (from && to && to < from) ctx.addIssue({ code: "custom", path: [fromField === "startDate" ? "endDate" : "periodTo"], message: `${toLabel} must be on or after the ${fromLabel.toLowerCase()}` });
}

export const feedRowSchemas = {
  individuals: z.object({
    sourceId: text("Source ID", 100),
    fullName: text("Full name"),
    dateOfBirth: optional("Date of birth", feedDate),
    nhsNumber: optional("NHS number", feedNhsNumber),
  }),
  care_packages: z
    .object({
      sourceId: text("Source ID", 100),
      organisation: ods("Organisation ODS code"),
      individual: text("Individual source ID", 100),
      service: text("Service"),
      startDate: required("Start date", feedDate),
      endDate: optional("End date", feedDate),
      status: optional("Status", (raw, label) => feedChoice(raw, label, carePackageStatuses)),
      paymentsVisible: optional("Payments visible", feedBoolean),
    })
    .superRefine((row, ctx) => {
      periodCheck(row.startDate, row.endDate, ctx, "startDate", "End date", "Start date");
      // Need to know counts days from the end: an ended package without one would never drop out.
      if (row.status === "ended" && !row.endDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "End date is missing: an ended package needs the date it ended" });
    }),
  purchase_orders: z
    .object({
      sourceId: text("Source ID", 100),
      carePackage: text("Care package source ID", 100),
      organisation: z
        .string()
        .trim()
        .transform((v) => (v === "" ? null : v.toUpperCase())),
      number: text("Purchase order number", 50),
      status: optional("Status", (raw, label) => feedChoice(raw, label, purchaseOrderStatuses)),
      periodFrom: required("Period from", feedDate),
      periodTo: optional("Period to", feedDate),
    })
    .superRefine((row, ctx) => periodCheck(row.periodFrom, row.periodTo, ctx, "periodFrom", "Period to", "Period from")),
  purchase_order_lines: z
    .object({
      sourceId: text("Source ID", 100),
      purchaseOrder: text("Purchase order source ID", 100),
      service: text("Service"),
      units: required("Units", feedUnits),
      unit: text("Unit", 40),
      rate: required("Rate", feedMoney),
      periodFrom: required("Period from", feedDate),
      periodTo: required("Period to", feedDate),
      cost: optional("Cost", feedMoney),
    })
    .superRefine((row, ctx) => periodCheck(row.periodFrom, row.periodTo, ctx, "periodFrom", "Period to", "Period from")),
  payments: z.object({
    sourceId: text("Source ID", 100),
    organisation: ods("Organisation ODS code"),
    carePackage: optionalText("Care package source ID", 100),
    reference: text("Reference", 100),
    dueDate: required("Due date", feedDate),
    amount: required("Amount", feedMoney),
    status: optional("Status", (raw, label) => feedChoice(raw, label, paymentStatuses)),
  }),
  remittances: z.object({
    sourceId: text("Source ID", 100),
    organisation: ods("Organisation ODS code"),
    reference: text("Advice number", 100),
    paymentDate: required("Payment date", feedDate),
  }),
  remittance_lines: z
    .object({
      sourceId: text("Source ID", 100),
      remittance: text("Remittance source ID", 100),
      carePackage: optionalText("Care package source ID", 100),
      purchaseOrderNumber: optionalText("Purchase order number", 50),
      description: text("Description"),
      periodFrom: optional("Period from", feedDate),
      periodTo: optional("Period to", feedDate),
      amount: required("Amount", feedMoney),
    })
    .superRefine((row, ctx) => periodCheck(row.periodFrom, row.periodTo, ctx, "periodFrom", "Period to", "Period from")),
} satisfies Record<FeedKind, z.ZodType>;

export type FeedRow<K extends FeedKind> = z.output<(typeof feedRowSchemas)[K]>;

/** Cost of a line when the feed leaves it out: units × rate, rounded to the penny. */
export function lineCost(units: string, ratePence: number): number {
  const [whole, fraction = ""] = units.split(".");
  const hundredths = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return Math.round((hundredths * ratePence) / 100);
}
