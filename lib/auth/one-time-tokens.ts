import { createHash, randomBytes, randomInt } from "node:crypto";

/** A URL-safe token of 256 random bits for an emailed link; only its hash is stored. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A 6-digit one-time code (UCP-NET-1), uniformly random. */
export function newEmailCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Distinct 1-based positions of the security number, chosen uniformly for one attempt (AUP-4.2). */
export function choosePositions(count: number, length = 6): number[] {
  const pool = Array.from({ length }, (_, i) => i + 1);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}
