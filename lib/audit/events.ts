import { z } from "zod";
import { channels } from "../db/schema/requests";
import { isPlainObject } from "./canonical";

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
 * A detail as it will be stored. Text that PostgreSQL's jsonb refuses — NUL and unpaired UTF-16
 * surrogates, which a hostile query string or form field can carry into a search's terms — is
 * replaced with U+FFFD, so recording what someone tried never fails (issue 11 fuzz run). And a
 * value that is not plain JSON (a Date, a boxed number, a sparse array, a function) becomes the
 * JSON value JSON.stringify makes of it, which is what the database stores: the event is hashed
 * over that, not over an encoding of the object the database never sees, so it verifies.
 */
function storableJson<T>(value: T): T {
  // Almost every detail is plain, clean JSON: check first, and copy only one that is not.
  if (isStorable(value)) return value;
  return mended(JSON.parse(JSON.stringify(value)) as T);
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

/** Plain JSON (strings, finite or not numbers, booleans, null, dense arrays, plain objects) with no text jsonb refuses. */
function isStorable(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return !UNSTORABLE.test(value);
    case "number":
    case "boolean":
      return true;
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i += 1) if (!(i in value) || !isStorable(value[i])) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (UNSTORABLE.test(key) || (item !== undefined && !isStorable(item))) return false;
      }
      return true;
    }
    default:
      // undefined inside an array, a function, a symbol, a bigint: JSON.stringify decides (or refuses a bigint).
      return false;
  }
}

/** Plain JSON with the text jsonb refuses replaced. */
function mended<T>(value: T): T {
  if (typeof value === "string") return value.replace(UNSTORABLE_ALL, "\uFFFD") as T;
  if (Array.isArray(value)) return value.map(mended) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mended(k), mended(v)])) as T;
  }
  return value;
}

export type AuditInput = z.input<typeof auditInputSchema>;
