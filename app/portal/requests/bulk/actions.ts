"use server";

import { redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { importUsers, type ImportResult } from "@/lib/imports/import-users";
import { readImportFile } from "@/lib/imports/read-import-file";
import { openSealedImport, sealImport, SEAL_LIFETIME_MS } from "@/lib/imports/sealed-rows";
import type { ImportRow } from "@/lib/imports/columns";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { requireAccess } from "../../../_lib/viewer";
import { WEB_MAX_BYTES, WEB_MAX_ROWS, type BulkState } from "./state";
import { formOf } from "../../../_lib/form-state";

const PATH = "/portal/requests/bulk";

// POST (server action) — a bulk user request (UCP-BULK-1): "check" reads the uploaded file and
// reports on every row; "confirm" submits the rows that report sealed, checked again, in one
// transaction. Both for the Lead correspondent (provider users:edit).
export async function bulkUpload(_prev: BulkState, formData: FormData): Promise<BulkState> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("provider", "users", "edit", PATH);
  const { database, config, clock, secretsKey } = await portal();
  const actor = await webActor(config, viewer);
  const base = { db: database.db, actor, clock, config, organisationId: viewer.organisationId };
  try {
    if (formData.get("intent") === "confirm") {
      const sealed = openSealedImport(secretsKey, String(formData.get("sealed") ?? ""), { accountId: viewer.accountId, organisationId: viewer.organisationId, now: clock.now() });
      const result = await importUsers({ ...base, rows: sealed.rows, dryRun: false, expectValidRows: sealed.validRows, source: { fileName: sealed.fileName, format: sealed.format } });
      if (result.submitted && result.batchId) redirect(`${PATH}/submitted?batch=${result.batchId}`);
      const state = reportState(result, sealed.fileName ?? "the file", [], sealed.rows, sealed.format, viewer, secretsKey, clock.now());
      return {
        ...state,
        message: result.changed
          ? "Something changed since you checked the file, so nothing was sent. Check the report again, then send the requests"
          : "No request was sent: no row of the file can be requested",
      };
    }

    // An uploaded file arrives as a File (a Blob with a name); with none chosen, browsers send an empty one.
    const entry = formData.get("file");
    const file = entry !== null && typeof entry === "object" ? (entry as Blob & { name?: string }) : null;
    if (!file || file.size === 0) {
      // Chromium's client-side action posting names the missing file "blob"; a chosen file has an extension.
      const chosen = Boolean(file?.name && file.name.includes("."));
      return { fieldErrors: { file: chosen ? "The selected file is empty" : "Select a CSV or Excel file of the people to request accounts for" } };
    }
    const fileName = file.name || "your file";
    const parsed = await readImportFile({ bytes: new Uint8Array(await file.arrayBuffer()), fileName, maxRows: WEB_MAX_ROWS, maxBytes: WEB_MAX_BYTES });
    const result = await importUsers({ ...base, rows: parsed.rows, dryRun: true });
    return reportState(result, fileName, parsed.ignoredColumns, parsed.rows, parsed.format, viewer, secretsKey, clock.now());
  } catch (error) {
    if (isAppError(error)) {
      return { message: Object.keys(error.fieldErrors).length ? undefined : error.userMessage, fieldErrors: error.fieldErrors };
    }
    throw error;
  }
}

function reportState(
  result: ImportResult,
  fileName: string,
  ignoredColumns: string[],
  rows: ImportRow[],
  format: "csv" | "xlsx",
  viewer: { accountId: string; organisationId: string },
  secretsKey: Buffer,
  now: Date,
): BulkState {
  const validRows = result.rows.filter((r) => r.status === "ok").map((r) => r.row);
  const sealed =
    validRows.length > 0
      ? sealImport(secretsKey, { accountId: viewer.accountId, organisationId: viewer.organisationId, fileName, format, rows, validRows, expiresAt: now.getTime() + SEAL_LIFETIME_MS })
      : null;
  const { year, allocation, used, free } = result.licence;
  return { fieldErrors: {}, report: { fileName, rows: result.rows, summary: result.summary, licence: { year, allocation, used, free }, ignoredColumns, sealed } };
}
