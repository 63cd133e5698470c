import { inflateSync } from "node:zlib";

/**
 * The text a PDF made by pdf-lib draws, without a PDF parser: each content stream is inflated
 * (FlateDecode) and the strings shown with Tj — hex `<…>` for the standard fonts, or literal
 * `(…)` — are decoded as Latin-1, one line per Tj. Enough to check what a generated page says.
 */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes);
  const source = raw.toString("latin1");
  const lines: string[] = [];
  const streamPattern = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streamPattern.exec(source))) {
    const start = match.index + match[0].length;
    const end = source.indexOf("endstream", start);
    if (end < 0) break;
    const dict = source.slice(Math.max(0, source.lastIndexOf("<<", match.index)), match.index);
    let content = raw.subarray(start, end);
    if (/FlateDecode/.test(dict)) {
      try {
        content = inflateSync(content);
      } catch {
        continue; // not a content stream we can read (e.g. a font program)
      }
    }
    const text = content.toString("latin1");
    for (const shown of text.matchAll(/(?:<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\))\s*Tj/g)) {
      lines.push(shown[1] !== undefined ? Buffer.from(shown[1].replace(/\s+/g, ""), "hex").toString("latin1") : shown[2]!.replace(/\\(.)/g, "$1"));
    }
    streamPattern.lastIndex = end;
  }
  return lines.join("\n");
}
