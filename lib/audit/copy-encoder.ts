import { createHash } from "node:crypto";
import { canonicalDetailJson } from "./canonical";
import { unescapeCopyText } from "./copy-text";

/**
 * The canonical encoding of an audit event (lib/audit/canonical.ts) written from rows of
 * `COPY … TO STDOUT` (text format), and hashed — without decoding the rows' UTF-8 and encoding
 * it again for the hash.
 *
 * The COPY bytes are read as latin1, one character per byte, so a string built from them is
 * the UTF-8 bytes themselves, and hashing it as latin1 hashes exactly those bytes. For text
 * with no quote, backslash or control character, a JSON string's UTF-8 bytes are the text's own
 * bytes between two quotes: such fields — nearly all — are used as they are, and any other is
 * decoded, un-escaped from COPY's text form and JSON.stringify'd, exactly as canonicalEncoding
 * does. The COPY query (copy-walk.ts) selects the columns in the canonical key order. The
 * detail (jsonb, printed with its keys reordered) is re-encoded by canonicalDetailJson,
 * remembered per distinct text, since a log repeats the same few details (a page's path, a
 * refusal's reason) many times. A unit test holds the bytes to canonicalEncoding's for hostile
 * text, nulls, nesting, large sequence numbers and times before 1970.
 */

/** Needs JSON escaping (or is COPY-escaped): take the careful path. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f]/;
const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const DETAILS_KEPT = 10_000;

export class CopyRowEncoder {
  private readonly details = new Map<string, string>();
  private dayStart = Number.NaN;
  private dayPrefix = "";
  /** The last row read: the walk's fields, as text (ASCII: uuid, digits, hex). */
  seq = 0;
  id = "";
  prevHash = "";
  hash = "";
  /** SHA-256 (hex) of the last row's canonical encoding. */
  computed = "";
  /** Where the row after the last one starts. */
  next = 0;

  /**
   * Reads the row of `rows` (COPY output decoded as latin1) that starts at `start` and ends
   * with a newline; sets the fields above.
   */
  encode(rows: string, start: number): void {
    const end = rows.indexOf("\n", start);
    if (end < 0) throw new Error("a COPY row without its end");
    this.rows = rows;
    this.rowEnd = end;
    this.at = start;
    const action = text(this.cut());
    const actorId = uuid(this.cut());
    const actorLabel = text(this.cut());
    const channel = text(this.cut());
    const clientAddress = text(this.cut());
    const detail = this.detail(this.cut());
    const id = this.cut();
    const occurredAt = this.time(this.cut());
    const organisationId = uuid(this.cut());
    const prevHashRaw = this.cut();
    const requestId = uuid(this.cut());
    const seq = this.cut();
    const subjectAccountId = uuid(this.cut());
    const userAgent = text(this.cut());
    this.hash = rows.slice(this.at, end);
    this.next = end + 1;
    const encoded = `{"action":${action},"actorId":${actorId},"actorLabel":${actorLabel},"channel":${channel},"clientAddress":${clientAddress},"detail":${detail},"id":${uuid(id)},"occurredAt":${occurredAt},"organisationId":${organisationId},"prevHash":${text(prevHashRaw)},"requestId":${requestId},"seq":${seq.length < 16 ? seq : JSON.stringify(Number(seq))},"subjectAccountId":${subjectAccountId},"userAgent":${userAgent}}`;
    this.computed = createHash("sha256").update(encoded, "latin1").digest("hex");
    this.seq = Number(seq);
    this.id = id;
    this.prevHash = prevHashRaw;
  }

  private rows = "";
  private rowEnd = 0;
  private at = 0;

  /** The next field of the row being read. */
  private cut(): string {
    const tab = this.rows.indexOf("\t", this.at);
    if (tab < 0 || tab > this.rowEnd) throw new Error("a COPY row with too few columns");
    const value = this.rows.slice(this.at, tab);
    this.at = tab + 1;
    return value;
  }

  private detail(raw: string): string {
    let json = this.details.get(raw);
    if (json === undefined) {
      const detailText = fromCopy(raw);
      json = utf8Bytes(canonicalDetailJson(detailText));
      // Bounded: a log of all-different details must not keep them all.
      if (this.details.size >= DETAILS_KEPT) this.details.clear();
      this.details.set(raw, json);
    }
    return json;
  }

  /** Epoch milliseconds as Date#toISOString writes them, quoted; the date part kept per day. */
  private time(raw: string): string {
    const ms = Number(raw);
    const dayStart = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
    if (dayStart !== this.dayStart) {
      // "YYYY-MM-DDT" (or an expanded year), whatever toISOString writes for that day.
      const iso = new Date(dayStart).toISOString();
      this.dayPrefix = `"${iso.slice(0, iso.indexOf("T") + 1)}`;
      this.dayStart = dayStart;
    }
    let rest = ms - dayStart;
    const milli = rest % 1000;
    rest = (rest - milli) / 1000;
    const second = rest % 60;
    rest = (rest - second) / 60;
    const minute = rest % 60;
    return `${this.dayPrefix}${TWO[(rest - minute) / 60]}:${TWO[minute]}:${TWO[second]}.${THREE[milli]}Z"`;
  }
}

/** A text column: null, the bytes between quotes, or (quote, backslash, control character) as JSON.stringify writes it. */
function text(raw: string): string {
  if (raw === "\\N") return "null";
  if (!NEEDS_ESCAPING.test(raw)) return `"${raw}"`;
  return utf8Bytes(JSON.stringify(fromCopy(raw)));
}

/** A uuid column as PostgreSQL prints it (hex digits and hyphens): quoting is its JSON. */
function uuid(raw: string): string {
  return raw === "\\N" ? "null" : `"${raw}"`;
}

/** A field's text: latin1 bytes decoded as the UTF-8 they are, COPY's escapes undone. */
function fromCopy(raw: string): string {
  const decoded = Buffer.from(raw, "latin1").toString("utf8");
  return decoded.includes("\\") ? unescapeCopyText(decoded) : decoded;
}

/** A string as its UTF-8 bytes, one latin1 character each (what the encoding is built of). */
function utf8Bytes(value: string): string {
  return Buffer.from(value, "utf8").toString("latin1");
}
