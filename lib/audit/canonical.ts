import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit event that its hash covers, in the shape they are stored. */
export interface HashedAuditFields {
  seq: number;
  id: string;
  occurredAt: Date;
  action: string;
  channel: string;
  actorId: string | null;
  actorLabel: string;
  organisationId: string | null;
  subjectAccountId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
}

/**
 * A stable encoding of an event: JSON with object keys sorted at every depth, so the same
 * event hashes the same after a round trip through jsonb (which reorders keys).
 */
export function canonicalEncoding(event: HashedAuditFields): string {
  return stableStringify({ ...event, occurredAt: event.occurredAt.toISOString() });
}

export function hashEvent(event: HashedAuditFields): string {
  return createHash("sha256").update(canonicalEncoding(event)).digest("hex");
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}
