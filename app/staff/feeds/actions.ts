"use server";

import { isAppError } from "@/lib/errors";
import { importFeed } from "@/lib/feeds/import-feed";
import { feedKindSchema } from "@/lib/feeds/kinds";
import { readFeedFile } from "@/lib/feeds/read-feed-file";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";
import { WEB_FEED_MAX_BYTES, type FeedUploadState } from "./state";
import { formOf } from "../../_lib/form-state";

// POST (server action) — a feed file uploaded by staff (operator feeds:edit): the same importer
// as `portal feed import`, with "check only" for a dry run. Thin: parse, call lib/feeds, report.
export async function uploadFeed(_prev: FeedUploadState, formData: FormData): Promise<FeedUploadState> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "feeds", "edit", "/staff/feeds");
  const kind = feedKindSchema.safeParse(formData.get("kind"));
  const entry = formData.get("file");
  const file = entry !== null && typeof entry === "object" ? (entry as Blob & { name?: string }) : null;
  const fieldErrors: Record<string, string> = {};
  if (!kind.success) fieldErrors.kind = "Select what the file holds";
  if (!file || file.size === 0) fieldErrors.file = file?.name?.includes(".") ? "The selected file is empty" : "Select a CSV or JSON feed file";
  else if (file.size > WEB_FEED_MAX_BYTES) fieldErrors.file = `The selected file must be smaller than ${WEB_FEED_MAX_BYTES / 1024 / 1024} MB; import larger feeds with portal feed import`;
  if (Object.keys(fieldErrors).length || !kind.success || !file) return { fieldErrors };

  const { database, config, clock } = await portal();
  const fileName = file.name || "feed";
  try {
    const parsed = readFeedFile({ bytes: new Uint8Array(await file.arrayBuffer()), kind: kind.data, fileName, maxBytes: WEB_FEED_MAX_BYTES });
    const result = await importFeed({
      db: database.db,
      actor: await webActor(config, viewer),
      clock,
      kind: kind.data,
      rows: parsed.rows,
      dryRun: formData.get("dryRun") === "yes",
      source: { fileName, format: parsed.format },
    });
    return { fieldErrors: {}, report: { ...result, fileName, ignoredColumns: parsed.ignoredColumns } };
  } catch (error) {
    if (isAppError(error)) return { fieldErrors: Object.keys(error.fieldErrors).length ? error.fieldErrors : {}, message: Object.keys(error.fieldErrors).length ? undefined : error.userMessage };
    throw error;
  }
}
