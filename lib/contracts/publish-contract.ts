import { eq } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import { carePackages } from "../db/schema/care";
import { contracts } from "../db/schema/contracts";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { contractReference, looksLikePdf, MAX_CONTRACT_BYTES, sha256Hex } from "./rules";
import { publishContractInputSchema } from "./schema";

/**
 * AUP-2.1c: operator staff (organisations:edit) publish a contract PDF for a care package. The
 * document is kept in the database with its SHA-256, for the package's provider to review and
 * sign; the row and its audit event commit together.
 */
export async function publishContract(options: {
  db: Database;
  actor: Actor;
  clock: Clock;
  viewer: Viewer;
  input: unknown;
  file: { name: string; bytes: Uint8Array } | null;
}): Promise<{ contractId: string; reference: string; sha256: string }> {
  const { db, actor, clock, viewer } = options;
  if (viewer.audience !== "operator") throw new AppError("forbidden", `${viewer.email} is not operator staff`, "Page not found");
  requirePermission(viewer, "organisations", "edit");
  const input = parseOrThrow(publishContractInputSchema, options.input);
  const file = options.file;
  if (!file || file.bytes.length === 0) throw new AppError("validation", "no file", "Choose the contract's PDF file", { file: "Choose the contract's PDF file" });
  if (file.bytes.length > MAX_CONTRACT_BYTES) throw new AppError("validation", "file too large", "The file must be 5 MB or smaller", { file: "The file must be 5 MB or smaller" });
  if (!looksLikePdf(file.bytes)) throw new AppError("validation", "not a PDF", "The file must be a PDF", { file: "The file must be a PDF" });
  const document = Buffer.from(file.bytes);
  const sha256 = sha256Hex(document);
  const fileName = file.name.replace(/[^\w .()-]+/g, "_").slice(0, 120) || "contract.pdf";
  return db.transaction(async (tx) => {
    const [pkg] = await tx.select({ id: carePackages.id, organisationId: carePackages.organisationId, status: carePackages.status }).from(carePackages).where(eq(carePackages.sourceId, input.carePackageRef));
    if (!pkg) throw new AppError("validation", `no package ${input.carePackageRef}`, "No care package has that reference", { carePackageRef: "No care package has that reference" });
    if (pkg.status !== "active") throw new AppError("validation", "package ended", "That care package has ended", { carePackageRef: "That care package has ended: a contract is published for an active package" });
    const now = clock.now();
    const [row] = await tx
      .insert(contracts)
      .values({
        organisationId: pkg.organisationId,
        carePackageId: pkg.id,
        title: input.title,
        fileName,
        document,
        documentBytes: document.length,
        documentSha256: sha256,
        publishedById: actor.accountId,
        publishedByLabel: actor.label,
        publishedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: contracts.id, number: contracts.number });
    const reference = contractReference(row!.number);
    await recordAudit(tx, actor, clock, {
      action: "contract.published",
      organisationId: pkg.organisationId,
      detail: { contractId: row!.id, reference, carePackageId: pkg.id, sha256, bytes: document.length },
    });
    return { contractId: row!.id, reference, sha256 };
  });
}
