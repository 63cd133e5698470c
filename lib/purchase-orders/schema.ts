import { z } from "zod";
import { purchaseOrderStatuses } from "../db/schema/care";

/** The purchase-order list's filters as they arrive in a URL; anything unreadable falls back to the default. */
export const purchaseOrderFiltersSchema = z.object({
  status: z.enum([...purchaseOrderStatuses, "all"]).catch("live"),
  q: z
    .string()
    .trim()
    .max(100)
    .catch("")
    .default(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type PurchaseOrderFilters = z.output<typeof purchaseOrderFiltersSchema>;

export const purchaseOrderStatusNames: Record<(typeof purchaseOrderStatuses)[number], string> = {
  live: "Live",
  suspended: "Suspended",
  closed: "Closed",
  cancelled: "Cancelled",
};

/** Whole pence as pounds, e.g. 123456 → "£1,234.56" (for pages); money in CSV is plain 1234.56. */
export function formatPounds(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  return `${sign}£${(Math.abs(pence) / 100).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Whole pence as a plain decimal for CSV cells: 123456 → "1234.56". */
export function plainPounds(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
