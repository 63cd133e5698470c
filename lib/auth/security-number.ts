import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from "node:crypto";

/** A 6-digit security number (AUP-4.2); trivial ones are refused at set-up. */
export const SECURITY_NUMBER_LENGTH = 6;

/** Seals a security number with AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>", all base64url. */
export function sealSecurityNumber(key: Buffer, securityNumber: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(securityNumber, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function openSecurityNumber(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !body) throw new Error("unrecognised sealed security number");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * Compares the digits given for the asked positions (1-based) in constant time: the work is
 * the same whichever digit is wrong, and the number itself never leaves this function. Fails
 * closed: no positions, a position outside the number, an unreadable sealed number or a given
 * entry that is not one digit never match.
 */
export function digitsMatch(key: Buffer, sealed: string, positions: readonly number[], given: readonly string[]): boolean {
  const n = positions.length;
  let expected = "";
  try {
    const number = openSecurityNumber(key, sealed);
    expected = positions.map((p) => number.charAt(p - 1)).join("");
  } catch {
    // An unreadable number matches nothing; the comparison below still runs, so the work is the same.
  }
  // Different fillers on each side: a missing expected digit never equals a missing or bad given one.
  const a = Buffer.from(expected.padEnd(n, "\u0000").slice(0, n), "latin1");
  const b = Buffer.from(given.map((d) => (/^\d$/.test(d) ? d : "\u0001")).join("").padEnd(n, "\u0001").slice(0, n), "latin1");
  const same = timingSafeEqual(a, b);
  return same && n > 0 && given.length === n && expected.length === n && /^\d+$/.test(expected);
}

/** Trivial numbers: one digit repeated, straight runs up or down, or a repeated pair/triple. */
export function isTrivialSecurityNumber(value: string): boolean {
  if (!/^\d{6}$/.test(value)) return true;
  const digits = [...value].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 0) || steps.every((s) => s === 1) || steps.every((s) => s === 9)) return true;
  if (value.slice(0, 2).repeat(3) === value || value.slice(0, 3).repeat(2) === value) return true;
  return ["123123", "112233", "121212", "102030", "696969", "101010"].includes(value);
}
