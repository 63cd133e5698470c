import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { ChainWalk, type ChainCheckpoint, type WalkResult } from "./chain-walk";
import { walkByCopy } from "./copy-walk";

/**
 * One range of a parallel verification (lib/audit/verify-parallel.ts), in a worker thread with
 * its own PostgreSQL connection. It reads in the snapshot the main thread exported, so every
 * range sees the chain as of the same moment, and checks the links and hashes inside its range;
 * its first event's sequence number and link are left to the main thread, which knows the range
 * before it. Imports only relative modules and packages, so it loads without the app's aliases.
 */
export interface RangeTask {
  connection: pg.ClientConfig;
  snapshot: string;
  range: { lo: number; hi: number };
  checkpoint: ChainCheckpoint | null;
}

export type RangeOutcome = { ok: true; result: WalkResult } | { ok: false; error: string };

async function verifyRange(task: RangeTask): Promise<WalkResult> {
  // pg_export_snapshot() names look like 00000003-0000001B-1: nothing else is put in the SQL.
  if (!/^[0-9A-Fa-f-]+$/.test(task.snapshot)) throw new Error(`not a snapshot name: ${task.snapshot}`);
  const client = new pg.Client(task.connection);
  client.on("error", () => undefined); // a dying connection fails the query in flight instead
  await client.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    await client.query(`set transaction snapshot '${task.snapshot}'`);
    const walk = new ChainWalk(null, task.checkpoint);
    await walkByCopy(client, task.range, walk);
    await client.query("commit");
    return walk.result;
  } finally {
    await client.end();
  }
}

if (parentPort) {
  const port = parentPort;
  verifyRange(workerData as RangeTask).then(
    (result) => port.postMessage({ ok: true, result } satisfies RangeOutcome),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RangeOutcome),
  );
}
