import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import pg from "pg";
import { ChainWalk, type ChainCheckpoint, type WalkResult } from "./chain-walk";
import { walkByCopy } from "./copy-walk";

/**
 * A verification worker thread (lib/audit/verify-parallel.ts) with its own PostgreSQL
 * connection. It reads in the snapshot the main thread exported, so every range sees the chain
 * as of the same moment, and walks the ranges the main thread hands it one at a time (it asks
 * for the next when it has answered the last), checking the links and hashes inside each; a
 * range's first event's sequence number and link are left to the main thread, which knows the
 * range before it. Imports only relative modules and packages, so it loads without the app's aliases.
 */
export interface WorkerTask {
  connection: pg.ClientConfig;
  snapshot: string;
  checkpoint: ChainCheckpoint | null;
}

/** From the main thread: the next range to walk (its index among the ranges), or none left. */
export type WorkerOrder = { index: number; range: { lo: number; hi: number } } | { index: null };

/**
 * To the main thread: ready for a range (after connecting), a range's result, done (committed and
 * disconnected: the thread may be ended — tsx's loader keeps it alive otherwise), or a failure.
 */
export type WorkerReport = { kind: "ready" } | { kind: "result"; index: number; result: WalkResult } | { kind: "done" } | { kind: "error"; error: string };

async function serve(task: WorkerTask, port: MessagePort): Promise<void> {
  // pg_export_snapshot() names look like 00000003-0000001B-1: nothing else is put in the SQL.
  if (!/^[0-9A-Fa-f-]+$/.test(task.snapshot)) throw new Error(`not a snapshot name: ${task.snapshot}`);
  const orders: WorkerOrder[] = [];
  let wake: (() => void) | null = null;
  port.on("message", (order: WorkerOrder) => {
    orders.push(order);
    wake?.();
  });
  const nextOrder = async (): Promise<WorkerOrder> => {
    while (orders.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    return orders.shift()!;
  };
  const client = new pg.Client(task.connection);
  client.on("error", () => undefined); // a dying connection fails the query in flight instead
  await client.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    await client.query(`set transaction snapshot '${task.snapshot}'`);
    port.postMessage({ kind: "ready" } satisfies WorkerReport);
    for (let order = await nextOrder(); order.index !== null; order = await nextOrder()) {
      const walk = new ChainWalk(null, task.checkpoint);
      await walkByCopy(client, order.range, walk);
      port.postMessage({ kind: "result", index: order.index, result: walk.result } satisfies WorkerReport);
    }
    await client.query("commit");
  } finally {
    await client.end();
    port.removeAllListeners("message");
  }
  port.postMessage({ kind: "done" } satisfies WorkerReport);
}

if (parentPort) {
  const port = parentPort;
  serve(workerData as WorkerTask, port).catch((error: unknown) =>
    port.postMessage({ kind: "error", error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReport),
  );
}
