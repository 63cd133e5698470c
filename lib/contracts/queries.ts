import { and, desc, eq, type SQL } from "drizzle-orm";
import { can, requirePermission, type Viewer } from "../auth/permissions";
import { carePackages, individuals } from "../db/schema/care";
import { contracts, type ContractStatus } from "../db/schema/contracts";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

/** Everything about a contract but the document itself (lists never load the PDF). */
const contractColumns = {
  id: contracts.id,
  number: contracts.number,
  organisationId: contracts.organisationId,
  organisationName: organisations.name,
  carePackageId: contracts.carePackageId,
  carePackageRef: carePackages.sourceId,
  service: carePackages.service,
  individualName: individuals.fullName,
  title: contracts.title,
  status: contracts.status,
  fileName: contracts.fileName,
  documentBytes: contracts.documentBytes,
  documentSha256: contracts.documentSha256,
  publishedByLabel: contracts.publishedByLabel,
  publishedAt: contracts.publishedAt,
  signedById: contracts.signedById,
  signedName: contracts.signedName,
  signedAt: contracts.signedAt,
  signedClientAddress: contracts.signedClientAddress,
  signedUserAgent: contracts.signedUserAgent,
  signedSha256: contracts.signedSha256,
};
export type ContractSummary = Awaited<ReturnType<typeof selectContracts>>[number];

function selectContracts(db: Executor, where: SQL | undefined, limit: number) {
  return db
    .select(contractColumns)
    .from(contracts)
    .innerJoin(organisations, eq(organisations.id, contracts.organisationId))
    .innerJoin(carePackages, eq(carePackages.id, contracts.carePackageId))
    .innerJoin(individuals, eq(individuals.id, carePackages.individualId))
    .where(where)
    .orderBy(desc(contracts.publishedAt))
    .limit(limit);
}

/**
 * Who may see a contract (AUP-5.2d): a provider user of its organisation with contracts:read,
 * or operator staff with organisations:read. Anything else: not_found.
 */
function mayRead(viewer: Viewer, organisationId: string): boolean {
  if (viewer.audience === "operator") return can(viewer, "organisations", "read");
  return viewer.organisationId === organisationId && can(viewer, "contracts", "read");
}

/** The organisation's contracts for a provider user (contracts:read), newest first. */
export async function organisationContracts(db: Executor, viewer: Viewer, limit = 200): Promise<ContractSummary[]> {
  if (viewer.audience !== "provider") throw new AppError("forbidden", "provider list", "Page not found");
  requirePermission(viewer, "contracts", "read");
  return selectContracts(db, eq(contracts.organisationId, viewer.organisationId), limit);
}

/** The back office's list (organisations:read): every contract with its status, optionally one status. */
export async function staffContracts(db: Executor, viewer: Viewer, status?: ContractStatus, limit = 200): Promise<ContractSummary[]> {
  if (viewer.audience !== "operator") throw new AppError("forbidden", "staff list", "Page not found");
  requirePermission(viewer, "organisations", "read");
  return selectContracts(db, status ? eq(contracts.status, status) : undefined, limit);
}

export async function contractDetail(db: Executor, viewer: Viewer, contractId: string): Promise<ContractSummary> {
  const [row] = await selectContracts(db, and(eq(contracts.id, contractId)), 1);
  if (!row || !mayRead(viewer, row.organisationId)) throw new AppError("not_found", `contract ${contractId} not readable by ${viewer.email}`, "Page not found");
  return row;
}

/** The document's bytes, for a reader of the contract; the caller records the download (AUP-5.2f). */
export async function contractDocument(db: Executor, viewer: Viewer, contractId: string) {
  const summary = await contractDetail(db, viewer, contractId);
  const [row] = await db.select({ document: contracts.document }).from(contracts).where(eq(contracts.id, contractId));
  return { summary, document: row!.document };
}
