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

/** Reusable per depth: the members an object wrote (key start, member end), as offsets in `out`. */
const memberSpans: number[][] = Array.from({ length: MAX_DEPTH }, () => []);
/** Reusable: an object's members in key order (indexes into its spans), and the bytes being reordered. */
const order: number[] = [];
let scratch = new Uint8Array(1024);
/** Where in `src` the value writeValue last wrote ended (its second answer). */
let valueEnd = 0;

/**
 * Writes the canonical JSON of the jsonb text in `src[start, end)` into `out` at `at`; returns
 * where it ends, or -1 when the text is not one this fast path takes (nothing to be trusted in
 * `out` then). `out` must have room for `end - start` bytes (canonical JSON is never longer
 * than jsonb's: it only drops spaces). One pass: each object's members are written in jsonb's
 * order, then moved into key order if they are not in it already.
 */
export function canonicalJsonbBytes(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  const written = writeValue(src, start, end, out, at, 0);
  return written >= 0 && valueEnd === end ? written : -1;
}

/** Writes the value starting at `i` (ending at or before `end`); where the writing ends (and valueEnd), or -1 if the fast path does not take it. */
function writeValue(src: Uint8Array, i: number, end: number, out: Uint8Array, at: number, depth: number): number {
  if (i >= end || depth >= MAX_DEPTH) return -1;
  const c = src[i]!;
  if (c === QUOTE) return writeString(src, i, end, out, at, false);
  if (c === 0x7b /* { */) return writeObject(src, i + 1, end, out, at, depth);
  if (c === 0x5b /* [ */) {
    out[at++] = 0x5b;
    i += 1;
    if (i < end && src[i] === 0x5d) {
      out[at++] = 0x5d;
      valueEnd = i + 1;
      return at;
    }
    for (;;) {
      at = writeValue(src, i, end, out, at, depth + 1);
      if (at < 0) return -1;
      i = valueEnd;
      if (i >= end) return -1;
      if (src[i] === 0x5d) {
        out[at++] = 0x5d;
        valueEnd = i + 1;
        return at;
      }
      if (src[i] !== COMMA || i + 1 >= end || src[i + 1] !== SPACE) return -1;
      out[at++] = COMMA;
      i += 2;
    }
  }
  if (c === 0x74 /* t */) return writeWord(src, i, end, out, at, "true");
  if (c === 0x66 /* f */) return writeWord(src, i, end, out, at, "false");
  if (c === 0x6e /* n */) return writeWord(src, i, end, out, at, "null");
  // An integer of 1 to 15 digits; "-0", a leading zero, a fraction or an exponent take the careful path.
  let j = i;
  if (c === 0x2d /* - */) j += 1;
  const digitsStart = j;
  while (j < end && src[j]! >= 0x30 && src[j]! <= 0x39) j += 1;
  const digits = j - digitsStart;
  if (digits === 0 || digits > 15) return -1;
  if (src[digitsStart] === 0x30 && (digits > 1 || c === 0x2d)) return -1;
  if (j < end && (src[j] === 0x2e || src[j] === 0x65 || src[j] === 0x45)) return -1;
  for (let b = i; b < j; b += 1) out[at++] = src[b]!;
  valueEnd = j;
  return at;
}

/** A string without a backslash or control character (a key: printable ASCII only), written as it is; -1 otherwise. */
function writeString(src: Uint8Array, i: number, end: number, out: Uint8Array, at: number, key: boolean): number {
  out[at++] = QUOTE;
  for (let j = i + 1; j < end; j += 1) {
    const b = src[j]!;
    out[at++] = b;
    if (b === QUOTE) {
      valueEnd = j + 1;
      return at;
    }
    if (b === BACKSLASH || b < 0x20 || (key && b >= 0x7f)) return -1;
  }
  return -1;
}

function writeWord(src: Uint8Array, i: number, end: number, out: Uint8Array, at: number, word: string): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k += 1) {
    if (src[i + k] !== word.charCodeAt(k)) return -1;
    out[at++] = src[i + k]!;
  }
  valueEnd = i + word.length;
  return at;
}

/** The members of the object whose first member starts at `i` (after the brace), written in key order. */
function writeObject(src: Uint8Array, i: number, end: number, out: Uint8Array, at: number, depth: number): number {
  out[at++] = 0x7b;
  if (i < end && src[i] === 0x7d) {
    out[at++] = 0x7d;
    valueEnd = i + 1;
    return at;
  }
  const spans = memberSpans[depth]!;
  spans.length = 0;
  const first = at;
  let sorted = true;
  for (;;) {
    const keyAt = at;
    at = writeString(src, i, end, out, at, true);
    if (at < 0) return -1;
    i = valueEnd;
    if (i + 1 >= end || src[i] !== COLON || src[i + 1] !== SPACE) return -1;
    out[at++] = COLON;
    at = writeValue(src, i + 2, end, out, at, depth + 1);
    if (at < 0) return -1;
    if (spans.length > 0 && sorted && compareKeys(out, spans[spans.length - 2]!, keyAt) > 0) sorted = false;
    spans.push(keyAt, at);
    i = valueEnd;
    if (i >= end) return -1;
    if (src[i] === 0x7d) break;
    if (src[i] !== COMMA || i + 1 >= end || src[i + 1] !== SPACE) return -1;
    out[at++] = COMMA;
    i += 2;
  }
  valueEnd = i + 1;
  if (!sorted) at = reorder(out, first, at, spans);
  out[at++] = 0x7d;
  return at;
}

/**
 * Rewrites the members written at out[first, end) (comma-separated, spans: key start and member
 * end of each) in key order; returns where they end (the same place). jsonb orders keys by
 * length first, so most objects of two or more keys need this.
 */
function reorder(out: Uint8Array, first: number, end: number, spans: number[]): number {
  const length = end - first;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  for (let b = 0; b < length; b += 1) scratch[b] = out[first + b]!;
  // Insertion sort of the members (an object has a few) by their keys' bytes: printable ASCII, so UTF-16 order.
  const n = spans.length / 2;
  order.length = 0;
  for (let m = 0; m < n; m += 1) {
    let k = order.length;
    order.push(m);
    while (k > 0 && compareKeys(out, spans[order[k - 1]! * 2]!, spans[m * 2]!) > 0) {
      order[k] = order[k - 1]!;
      k -= 1;
    }
    order[k] = m;
  }
  let at = first;
  for (let k = 0; k < n; k += 1) {
    const m = order[k]! * 2;
    if (k > 0) out[at++] = COMMA;
    for (let b = spans[m]! - first, stop = spans[m + 1]! - first; b < stop; b += 1) out[at++] = scratch[b]!;
  }
  return at;
}

/** Compares the written keys starting at `a` and `b` (each a quoted string of printable ASCII without a backslash), byte by byte. */
function compareKeys(out: Uint8Array, a: number, b: number): number {
  let i = a + 1;
  let j = b + 1;
  for (;;) {
    const x = out[i]!;
    const y = out[j]!;
    if (x === QUOTE || y === QUOTE) return x === y ? 0 : x === QUOTE ? -1 : 1;
    if (x !== y) return x - y;
    i += 1;
    j += 1;
  }
}
