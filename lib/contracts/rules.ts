import { createHash } from "node:crypto";
import type { ContractStatus } from "../db/schema/contracts";

/** A contract's reference as people see it: CON-000123. */
export function contractReference(number: number): string {
  return `CON-${String(number).padStart(6, "0")}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A PDF starts with "%PDF-" (within its first 1,024 bytes, as readers allow). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

/** The largest contract document accepted: 5 MB (server actions take at most 6 MB, next.config.ts). */
export const MAX_CONTRACT_BYTES = 5 * 1024 * 1024;

/** Names compared as people write them: case, accents, spacing and punctuation around words ignored. */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** AUP-2.1c: the typed full name must be the signer's own account name. */
export function typedNameMatches(typed: string, accountName: string): boolean {
  const a = normaliseName(typed);
  return a.length > 0 && a === normaliseName(accountName);
}

export const contractStatusNames: Record<ContractStatus, string> = {
  published: "Waiting for signature",
  signed: "Signed",
  withdrawn: "Withdrawn",
};

/** A signing challenge lasts this long: long enough to read the declaration, short enough to go stale. */
export const SIGNING_CHALLENGE_MINUTES = 10;
