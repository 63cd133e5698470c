/** COPY … TO STDOUT text format, as the audit verification reads it (lib/audit/copy-walk.ts). */

const SIMPLE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/**
 * COPY TO's text escapes: PostgreSQL's CopyAttributeOutText writes a backslash before a
 * backslash and the delimiter, and \b \f \n \r \t \v for those controls — nothing else
 * (the octal and hex forms exist for COPY FROM only).
 */
export function unescapeCopyText(raw: string): string {
  let out = "";
  let i = 0;
  for (;;) {
    const slash = raw.indexOf("\\", i);
    if (slash < 0 || slash === raw.length - 1) return out + raw.slice(i);
    const next = raw[slash + 1]!;
    out += raw.slice(i, slash) + (SIMPLE[next] ?? next);
    i = slash + 2;
  }
}
