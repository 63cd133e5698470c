/**
 * The canonical JSON of a jsonb detail (canonical.ts: keys sorted by UTF-16 code units at every
 * depth, no spaces, JSON.stringify's numbers and strings) written straight from the text
 * PostgreSQL prints for it, as bytes — for verification's COPY reader (copy-binary.ts), which
 * would otherwise decode, JSON.parse and re-encode every detail.
 *
 * jsonb prints `{"key": value, …}` with its keys ordered by length, then bytes, and ", " and
 * ": " between items. Only what is certainly written the same way by both is taken here:
 * keys of printable ASCII without a backslash (where byte order is UTF-16 order), strings
 * without a backslash or control character (their bytes are JSON.stringify's, whatever a server
 * version escapes), integers of at most 15 digits (which a JS number holds exactly and prints the
 * same), true, false, null, and objects and arrays of those. Anything else — a fraction, an
 * exponent, an escape, a non-ASCII key — answers -1 and the caller takes the careful path
 * (JSON.parse, then canonical.ts). A unit test holds the two to the same bytes.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const MAX_DEPTH = 32;

/** Reusable per depth: the spans of an object's members (key start, key end, value start, value end). */
const memberSpans: number[][] = Array.from({ length: MAX_DEPTH }, () => []);

/**
 * Writes the canonical JSON of the jsonb text in `src[start, end)` into `out` at `at`; returns
 * where it ends, or -1 when the text is not one this fast path takes (nothing to be trusted in
 * `out` then). `out` must have room for `end - start` bytes (canonical JSON is never longer
 * than jsonb's: it only drops spaces).
 */
export function canonicalJsonbBytes(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  const valueEnd = skipValue(src, start, end, 0);
  if (valueEnd !== end) return -1;
  return writeValue(src, start, end, out, at, 0);
}

/** Where the value starting at `i` ends, or -1 if it is not one the fast path takes. */
function skipValue(src: Uint8Array, i: number, end: number, depth: number): number {
  if (i >= end || depth >= MAX_DEPTH) return -1;
  const c = src[i]!;
  if (c === QUOTE) return skipString(src, i, end, false);
  if (c === 0x7b /* { */) {
    i += 1;
    if (i < end && src[i] === 0x7d) return i + 1;
    for (;;) {
      i = skipString(src, i, end, true);
      if (i < 0 || i + 1 >= end || src[i] !== COLON || src[i + 1] !== SPACE) return -1;
      i = skipValue(src, i + 2, end, depth + 1);
      if (i < 0 || i >= end) return -1;
      if (src[i] === 0x7d) return i + 1;
      if (src[i] !== COMMA || i + 1 >= end || src[i + 1] !== SPACE) return -1;
      i += 2;
    }
  }
  if (c === 0x5b /* [ */) {
    i += 1;
    if (i < end && src[i] === 0x5d) return i + 1;
    for (;;) {
      i = skipValue(src, i, end, depth + 1);
      if (i < 0 || i >= end) return -1;
      if (src[i] === 0x5d) return i + 1;
      if (src[i] !== COMMA || i + 1 >= end || src[i + 1] !== SPACE) return -1;
      i += 2;
    }
  }
  if (c === 0x74 /* t */) return matches(src, i, end, "true");
  if (c === 0x66 /* f */) return matches(src, i, end, "false");
  if (c === 0x6e /* n */) return matches(src, i, end, "null");
  // An integer of 1 to 15 digits; "-0", a leading zero, a fraction or an exponent take the careful path.
  let j = i;
  if (c === 0x2d /* - */) j += 1;
  const digitsStart = j;
  while (j < end && src[j]! >= 0x30 && src[j]! <= 0x39) j += 1;
  const digits = j - digitsStart;
  if (digits === 0 || digits > 15) return -1;
  if (src[digitsStart] === 0x30 && (digits > 1 || c === 0x2d)) return -1;
  if (j < end && (src[j] === 0x2e || src[j] === 0x65 || src[j] === 0x45)) return -1;
  return j;
}

/** A string without a backslash or control character (a key: printable ASCII only); -1 otherwise. */
function skipString(src: Uint8Array, i: number, end: number, key: boolean): number {
  if (i >= end || src[i] !== QUOTE) return -1;
  for (let j = i + 1; j < end; j += 1) {
    const b = src[j]!;
    if (b === QUOTE) return j + 1;
    if (b === BACKSLASH || b < 0x20 || (key && b >= 0x7f)) return -1;
  }
  return -1;
}

function matches(src: Uint8Array, i: number, end: number, word: string): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k += 1) if (src[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/** Writes a value already known (skipValue) to be one the fast path takes. */
function writeValue(src: Uint8Array, i: number, end: number, out: Uint8Array, at: number, depth: number): number {
  const c = src[i]!;
  if (c === 0x7b) {
    out[at++] = 0x7b;
    if (src[i + 1] === 0x7d) {
      out[at++] = 0x7d;
      return at;
    }
    const spans = memberSpans[depth]!;
    spans.length = 0;
    let j = i + 1;
    for (;;) {
      const keyEnd = skipString(src, j, end, true);
      const valueEnd = skipValue(src, keyEnd + 2, end, depth + 1);
      spans.push(j, keyEnd, keyEnd + 2, valueEnd);
      if (src[valueEnd] === 0x7d) break;
      j = valueEnd + 2;
    }
    // Insertion sort of the keys (a detail has a few), by bytes: printable ASCII, so UTF-16 order.
    const n = spans.length / 4;
    const order: number[] = [];
    for (let m = 0; m < n; m += 1) {
      let k = order.length;
      while (k > 0 && compareKeys(src, spans, order[k - 1]!, m) > 0) k -= 1;
      order.splice(k, 0, m);
    }
    // Writing a member's value uses the arrays of the deeper levels only: this level's spans stay put.
    const members = spans;
    for (let k = 0; k < n; k += 1) {
      const m = order[k]! * 4;
      if (k > 0) out[at++] = COMMA;
      for (let b = members[m]!; b < members[m + 1]!; b += 1) out[at++] = src[b]!;
      out[at++] = COLON;
      at = writeValue(src, members[m + 2]!, members[m + 3]!, out, at, depth + 1);
    }
    out[at++] = 0x7d;
    return at;
  }
  if (c === 0x5b) {
    out[at++] = 0x5b;
    if (src[i + 1] === 0x5d) {
      out[at++] = 0x5d;
      return at;
    }
    let j = i + 1;
    for (;;) {
      const valueEnd = skipValue(src, j, end, depth + 1);
      at = writeValue(src, j, valueEnd, out, at, depth + 1);
      if (src[valueEnd] === 0x5d) break;
      out[at++] = COMMA;
      j = valueEnd + 2;
    }
    out[at++] = 0x5d;
    return at;
  }
  // A string, number or literal: its bytes as they are.
  const valueEnd = skipValue(src, i, end, depth);
  for (let b = i; b < valueEnd; b += 1) out[at++] = src[b]!;
  return at;
}

/** Compares member a's key with member b's (indexes into spans), byte by byte without the quotes. */
function compareKeys(src: Uint8Array, spans: number[], a: number, b: number): number {
  let i = spans[a * 4]! + 1;
  const iEnd = spans[a * 4 + 1]! - 1;
  let j = spans[b * 4]! + 1;
  const jEnd = spans[b * 4 + 1]! - 1;
  while (i < iEnd && j < jEnd) {
    const d = src[i]! - src[j]!;
    if (d !== 0) return d;
    i += 1;
    j += 1;
  }
  return iEnd - i - (jEnd - j);
}
