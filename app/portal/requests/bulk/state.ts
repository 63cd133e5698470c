import type { RowReport } from "@/lib/imports/check-import";

/** The largest upload the web takes (server actions accept about 1 MB); the CLI takes more. */
export const WEB_MAX_BYTES = 950 * 1024;
/** The most people one upload may hold (UCP-BULK-1; the CLI's cap is higher). */
export const WEB_MAX_ROWS = 1_000;

/** What the bulk upload page shows: the upload form, or a file's report with its sealed rows. */
export interface BulkState {
  message?: string;
  fieldErrors: Record<string, string>;
  report?: {
    fileName: string;
    rows: RowReport[];
    summary: { rows: number; ok: number; errors: number };
    licence: { year: number; allocation: number; used: number; free: number };
    ignoredColumns: string[];
    /** The checked rows, signed, for the confirm step (null when no row is valid). */
    sealed: string | null;
  };
}

export const emptyBulkState: BulkState = { fieldErrors: {} };
