import type { ClientBase } from "pg";
import { copyOut } from "../db/copy-out";
import type { ChainWalk } from "./chain-walk";
import { BinaryCopyReader, binaryCopyQuery } from "./copy-binary";

/**
 * Reading the audit chain from PostgreSQL with `COPY (select …) TO STDOUT (FORMAT binary)`: the
 * server sends rows in large chunks, with no per-row protocol handling, field descriptors or row
 * objects built by node-postgres (lib/db/copy-out.ts reads them off the socket), and
 * BinaryCopyReader (copy-binary.ts) writes each row's canonical encoding from those bytes,
 * hashes it and checks it (bench/queue, issue 4).
 *
 * Streams the events into `walk` until it finds a bad one. After that the rest of the COPY is
 * still read (and ignored) so the connection stays usable — a failure is the rare case, and
 * abandoning a COPY half-way would leave the connection mid-protocol.
 */
export async function walkByCopy(client: ClientBase, range: { lo: number; hi: number } | null, walk: ChainWalk): Promise<void> {
  const reader = new BinaryCopyReader(walk);
  await copyOut(client, binaryCopyQuery(range), (bytes) => reader.push(bytes));
  reader.end();
}
