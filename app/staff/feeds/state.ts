import type { FeedImportResult } from "@/lib/feeds/import-feed";

/** What the feed upload action returns: errors, or the report of the run. */
export interface FeedUploadState {
  message?: string;
  fieldErrors: Record<string, string>;
  report?: FeedImportResult & { fileName: string; ignoredColumns: string[] };
}

export const emptyFeedUploadState: FeedUploadState = { fieldErrors: {} };

/** The web takes files up to this size; larger feeds go through `portal feed import`. */
export const WEB_FEED_MAX_BYTES = 5 * 1024 * 1024;
