import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { z } from "zod";
import { AppError } from "../errors";
import { importFields, type ImportRow } from "./columns";

/**
 * Keeps a checked file's rows between the web's two steps (check, then confirm) without
 * uploading it again and without server-side state: the rows travel in a hidden form field,
 * compressed and signed with a key derived from the portal's secrets key. The seal binds them
 * to the account and organisation that checked them and expires, so they cannot be replayed by
 * someone else or later; a changed byte fails the signature. They are the person's own rows,
 * already shown to them in the report, so signing (not encrypting) is enough — and the confirm
 * step checks every row again anyway before anything is submitted.
 */

export interface SealedImport {
  accountId: string;
  organisationId: string;
  fileName: string | null;
  format: "csv" | "xlsx";
  rows: ImportRow[];
  /** The rows the report showed as valid: what the person confirms. */
  validRows: number[];
  /** Epoch milliseconds after which the seal is refused. */
  expiresAt: number;
}

/** Half an hour to read a report and confirm it. */
export const SEAL_LIFETIME_MS = 30 * 60 * 1000;
/** The largest sealed field accepted (1,000 rows seal to well under this). */
export const MAX_SEALED_LENGTH = 700_000;
const MAX_UNPACKED_BYTES = 4 * 1024 * 1024;

const rowSchema = z.object({
  row: z.number().int().min(1),
  values: z.partialRecord(z.enum(importFields), z.string().max(5_000)),
});
const sealedSchema = z.object({
  accountId: z.string(),
  organisationId: z.string(),
  fileName: z.string().nullable(),
  format: z.enum(["csv", "xlsx"]),
  rows: z.array(rowSchema).max(10_000),
  validRows: z.array(z.number().int()),
  expiresAt: z.number(),
});

function sealKey(secretsKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", secretsKey, Buffer.alloc(0), "provider-portal bulk-import rows v1", 32));
}

export function sealImport(secretsKey: Buffer, sealed: SealedImport): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(sealed), "utf8")).toString("base64url");
  const signature = createHmac("sha256", sealKey(secretsKey)).update(body).digest("base64url");
  return `${body}.${signature}`;
}

function expired(): AppError {
  return new AppError("validation", "sealed import rows invalid or expired", "The checked file has expired or could not be read. Upload it again", { file: "The checked file has expired or could not be read. Upload it again" });
}

/** The rows sealed for this account and organisation, or a validation error asking for the file again. */
export function openSealedImport(secretsKey: Buffer, token: string, expect: { accountId: string; organisationId: string; now: Date }): SealedImport {
  if (token.length > MAX_SEALED_LENGTH) throw expired();
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) throw expired();
  const wanted = createHmac("sha256", sealKey(secretsKey)).update(body).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw expired();
  let parsed: SealedImport;
  try {
    parsed = sealedSchema.parse(JSON.parse(inflateRawSync(Buffer.from(body, "base64url"), { maxOutputLength: MAX_UNPACKED_BYTES }).toString("utf8")));
  } catch {
    throw expired();
  }
  if (parsed.accountId !== expect.accountId || parsed.organisationId !== expect.organisationId || parsed.expiresAt < expect.now.getTime()) throw expired();
  return parsed;
}
