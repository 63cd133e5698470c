import type { ClientBase } from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { ChainWalk } from "./chain-walk";
import { CopyRowEncoder } from "./copy-encoder";

/**
 * Reading the audit chain from PostgreSQL with `COPY (select …) TO STDOUT`: the server sends
 * rows as tab-separated text in large chunks, with no per-row protocol messages, field
 * descriptors or row objects built by node-postgres, and CopyRowEncoder writes each row's
 * canonical encoding from those bytes and hashes it (bench/queue, issue 4).
 *
 * The columns are selected in the canonical key order (the encoder relies on it), printed as
 * verification has always read them (uuid and jsonb as text, the time as epoch milliseconds),
 * then the stored hash.
 */
const COLUMNS = `action, actor_id, actor_label, channel, client_address, detail, id,
  floor(extract(epoch from occurred_at) * 1000)::bigint, organisation_id, prev_hash, request_id, seq,
  subject_account_id, user_agent, hash`;

/** Events `lo`…`hi` (all of them without a range), in sequence order. Integers only: COPY takes no parameters. */
export function copyQuery(range: { lo: number; hi: number } | null): string {
  if (range && !(Number.isSafeInteger(range.lo) && Number.isSafeInteger(range.hi))) throw new Error("a verification range must be whole numbers");
  const where = range ? ` where seq between ${range.lo} and ${range.hi}` : "";
  return `copy (select ${COLUMNS} from audit_events${where} order by seq) to stdout`;
}

/**
 * Streams the events into `walk` until it finds a bad one. After that the rest of the COPY is
 * still read (and ignored) so the connection stays usable — a failure is the rare case, and
 * abandoning a COPY half-way would leave the connection mid-protocol.
 */
export async function walkByCopy(client: ClientBase, range: { lo: number; hi: number } | null, walk: ChainWalk): Promise<void> {
  const stream = client.query(copyTo(copyQuery(range)));
  const encoder = new CopyRowEncoder();
  let rest: Buffer | null = null;
  let going = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (!going) continue;
    // Rows end at a newline byte: inside a field COPY writes \n, and 0x0a is never part of a
    // multi-byte UTF-8 character. A row cut by the chunk's end waits for the next chunk.
    const data: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(10) + 1;
    // latin1: one character per byte, so the encoder hashes the very bytes PostgreSQL sent.
    const rows = data.toString("latin1", 0, end);
    let at = 0;
    while (at < end) {
      encoder.encode(rows, at);
      at = encoder.next;
      if (!walk.check(encoder.seq, encoder.id, encoder.prevHash, encoder.hash, encoder.computed)) {
        going = false;
        break;
      }
    }
    rest = end < data.length ? data.subarray(end) : null;
  }
  if (going && rest !== null) throw new Error("COPY ended in the middle of a row");
}
