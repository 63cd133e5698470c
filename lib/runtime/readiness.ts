import { sql } from "drizzle-orm";
import type { Database } from "../db/types";

export type Readiness =
  | { status: "ready"; database: "ok"; ms: number }
  | { status: "unavailable"; database: "unreachable" | "timed_out"; ms: number }
  | { status: "draining"; ms: number };

/** How long the database may take to answer before the check says "unavailable". */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Whether this server can serve requests: not shutting down, and its database answers a
 * query within the timeout. What went wrong is named in a word, never with the driver's
 * message (which may carry a host name or user).
 */
export async function checkReadiness(options: { db: Database; draining: boolean; timeoutMs?: number; now?: () => number }): Promise<Readiness> {
  const now = options.now ?? Date.now;
  const started = now();
  if (options.draining) return { status: "draining", ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timed_out">((resolve) => {
    timer = setTimeout(() => resolve("timed_out"), options.timeoutMs ?? READINESS_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([options.db.execute(sql`select 1`).then(() => "ok" as const), timeout]);
    if (result === "timed_out") return { status: "unavailable", database: "timed_out", ms: now() - started };
    return { status: "ready", database: "ok", ms: now() - started };
  } catch {
    return { status: "unavailable", database: "unreachable", ms: now() - started };
  } finally {
    clearTimeout(timer);
  }
}
