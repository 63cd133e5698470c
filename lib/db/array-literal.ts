/**
 * A PostgreSQL array literal of text values ('{"a","b \"c\"",NULL}'), for a batch writer that
 * sends one column of thousands of rows as one text parameter cast to an array and unnests the
 * columns together. The same text on PostgreSQL and PGlite (no driver array handling), and
 * cheaper for the server than a JSON document of rows: json_to_recordset converts each jsonb or
 * uuid field through text again, where unnest and a cast read the array once (bench/sweep).
 * Every element is quoted, so only backslash and double quote need escaping; null is NULL.
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) out += ",";
    out += value === null || value === undefined ? "NULL" : `"${value.replace(ESCAPED, "\\$&")}"`;
  }
  return `${out}}`;
}

const ESCAPED = /["\\]/g;
