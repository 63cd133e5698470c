import { sql } from "drizzle-orm";
import { bigint, check, customType, index, integer, pgSequence, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { carePackages } from "./care";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";

/** Binary column: node-postgres reads bytea as a Buffer, PGlite as a Uint8Array; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});

export const contractStatuses = ["published", "signed", "withdrawn"] as const;
export type ContractStatus = (typeof contractStatuses)[number];

/** Contract references (CON-000123) from one sequence. */
export const contractNumberSeq = pgSequence("contract_number_seq", { startWith: 1 });

/**
 * A contract for a care package, published by operator staff as a PDF and signed online by the
 * provider (AUP-2.1c). The document and its SHA-256 are kept together; once signed, the row is
 * immutable: the database refuses UPDATE and DELETE of a signed contract (custom migration).
 */
export const contracts = pgTable(
  "contracts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: bigint("number", { mode: "number" })
      .notNull()
      .default(sql`nextval('contract_number_seq')`),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    carePackageId: uuid("care_package_id")
      .notNull()
      .references(() => carePackages.id),
    title: text("title").notNull(),
    status: text("status", { enum: contractStatuses }).notNull().default("published"),
    fileName: text("file_name").notNull(),
    document: bytea("document").notNull(),
    documentBytes: integer("document_bytes").notNull(),
    /** Hex SHA-256 of `document`, computed when it was published; the signature names it. */
    documentSha256: text("document_sha256").notNull(),
    publishedById: uuid("published_by_id").references(() => accounts.id),
    publishedByLabel: text("published_by_label").notNull(),
    publishedAt: at("published_at").notNull(),
    /** The signature (AUP-2.1c): who, the name they typed, when, from where, over which document. */
    signedById: uuid("signed_by_id").references(() => accounts.id),
    signedName: text("signed_name"),
    signedAt: at("signed_at"),
    signedClientAddress: text("signed_client_address"),
    signedUserAgent: text("signed_user_agent"),
    signedSha256: text("signed_sha256"),
    withdrawnAt: at("withdrawn_at"),
    withdrawnReason: text("withdrawn_reason"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contracts_number_key").on(t.number),
    index("contracts_organisation_idx").on(t.organisationId, t.status, t.publishedAt),
    index("contracts_care_package_idx").on(t.carePackageId),
    index("contracts_status_idx").on(t.status, t.publishedAt),
    check("contracts_status_check", sql`${t.status} in ('published','signed','withdrawn')`),
    check("contracts_sha256_check", sql`${t.documentSha256} ~ '^[0-9a-f]{64}$'`),
    // A signed contract carries its whole signature record, over the very document published.
    check(
      "contracts_signature_check",
      sql`${t.status} <> 'signed' or (${t.signedById} is not null and ${t.signedName} is not null and ${t.signedAt} is not null and ${t.signedSha256} = ${t.documentSha256})`,
    ),
  ],
);

/**
 * A step-up challenge for signing (AUP-2.1c): the security-number positions asked, chosen by
 * the server per attempt so the browser cannot choose them; used once, expires, and ends after
 * repeated wrong answers.
 */
export const contractSigningChallenges = pgTable(
  "contract_signing_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    positions: integer("positions").array().notNull(),
    expiresAt: at("expires_at").notNull(),
    endedAt: at("ended_at"),
    createdAt: createdAt(),
  },
  (t) => [index("contract_signing_challenges_contract_idx").on(t.contractId, t.accountId)],
);
