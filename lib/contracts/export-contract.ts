import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import type { Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { contractDetail, contractDocument } from "./queries";
import { contractReference } from "./rules";
import { signaturePagePdf } from "./signature-page";

/** AUP-2.1c / AUP-5.2f: the contract's PDF for a reader, the download recorded (who, what, when) before it is sent. */
export async function downloadContractDocument(options: { db: Database; actor: Actor; clock: Clock; viewer: Viewer; contractId: string }) {
  const { db, actor, clock, viewer, contractId } = options;
  const { summary, document } = await contractDocument(db, viewer, contractId);
  await db.transaction((tx) =>
    recordAudit(tx, actor, clock, {
      action: "contract.document_downloaded",
      organisationId: summary.organisationId,
      detail: { contractId, reference: contractReference(summary.number), sha256: summary.documentSha256 },
    }),
  );
  return { fileName: summary.fileName, document };
}

/**
 * AUP-4.1 / AUP-5.2f: the signature page of a signed contract as a PDF to download or print;
 * the export is recorded before the file is sent.
 */
export async function exportSignaturePage(options: { db: Database; actor: Actor; clock: Clock; config: PortalConfig; viewer: Viewer; contractId: string }) {
  const { db, actor, clock, config, viewer, contractId } = options;
  const summary = await contractDetail(db, viewer, contractId);
  if (summary.status !== "signed") throw new AppError("not_found", `contract ${contractId} is not signed`, "Page not found");
  const pdf = await signaturePagePdf(summary, { operatorName: config.operator.name, generatedAt: clock.now() });
  const reference = contractReference(summary.number);
  await db.transaction((tx) =>
    recordAudit(tx, actor, clock, {
      action: "contract.signature_page_exported",
      organisationId: summary.organisationId,
      detail: { contractId, reference, sha256: summary.documentSha256 },
    }),
  );
  return { fileName: `${reference}-signature-page.pdf`, pdf };
}
