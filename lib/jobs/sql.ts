import { sql, type SQL } from "drizzle-orm";

/**
 * Raw-SQL helpers. The drivers hand timestamps back differently (a Date, or text in the
 * session's format), so the jobs' raw queries return instants as ISO text and pass them in as
 * ISO text, cast — the same on PGlite and PostgreSQL.
 */

/** An instant as `2026-05-04T09:00:00.000Z` text, from a timestamptz expression. */
export function isoText(expression: SQL): SQL {
  return sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A JS instant as a timestamptz parameter. */
export function at(instant: Date): SQL {
  return sql`${instant.toISOString()}::timestamptz`;
}

/** A calendar day (YYYY-MM-DD) as a date parameter. */
export function day(value: string): SQL {
  return sql`${value}::date`;
}
