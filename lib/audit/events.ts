import { z } from "zod";
import { channels } from "../db/schema/requests";

export type Channel = (typeof channels)[number];

/** Who acts, and through which channel: carried into every use case and every audit event. */
export interface Actor {
  /** The account acting; null for the system itself (jobs, start-up). */
  accountId: string | null;
  /** A readable name kept on the event, so the log reads without joins and outlives renames. */
  label: string;
  channel: Channel;
  clientAddress?: string | null;
  userAgent?: string | null;
}

export const systemActor = (channel: Channel = "system", label = "Portal"): Actor => ({ accountId: null, label, channel });

/** An audit event as a use case describes it; the chain fields are added by recordAudit. */
export const auditInputSchema = z.object({
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, "actions are dotted lower-case names such as account.suspended"),
  organisationId: z.uuid().nullish(),
  subjectAccountId: z.uuid().nullish(),
  requestId: z.uuid().nullish(),
  /** What changed: before/after values, reasons, references. Never a secret. */
  detail: z.record(z.string(), z.unknown()).default({}).transform(storableJson),
});

/**
 * Text that PostgreSQL's jsonb refuses — NUL and unpaired UTF-16 surrogates, which a hostile
 * query string or form field can carry into a search's terms — replaced with U+FFFD before the
 * event is hashed and stored, so recording what someone tried never fails (issue 11 fuzz run).
 */
function storableJson<T>(value: T): T {
  // Almost every detail is clean: check first, and copy only one that needs mending.
  return needsMending(value) ? mended(value) : value;
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

function needsMending(value: unknown): boolean {
  if (typeof value === "string") return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(needsMending);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) {
      if (UNSTORABLE.test(key) || needsMending((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}

function mended<T>(value: T): T {
  if (typeof value === "string") return value.replace(UNSTORABLE_ALL, "\uFFFD") as T;
  if (Array.isArray(value)) return value.map(mended) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mended(k), mended(v)])) as T;
  }
  return value;
}
export type AuditInput = z.input<typeof auditInputSchema>;
