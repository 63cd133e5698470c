import os from "node:os";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import type { Executor } from "../db/types";
import { ChainWalk, type WalkResult } from "./chain-walk";
import { walkByCopy } from "./copy-walk";
import { poolOf, verdictOf, verifyAuditChain, type ChainVerdict, type VerifyOptions } from "./verify-chain";
import type { RangeOutcome, RangeTask } from "./verify-worker";

export interface ParallelVerifyOptions extends VerifyOptions {
  /**
   * How many ranges the chain is split into, verified at once: this thread takes the first,
   * a worker thread each of the others. Default: one per CPU core, at most 4.
   */
  ranges?: number;
}

/**
 * verifyAuditChain split over worker threads (the CLI's `portal audit verify` and bench/queue).
 * On a PostgreSQL server the chain's sequence numbers are cut into `ranges` stretches, each read
 * with COPY on its own connection in one exported snapshot (so all see the same chain) and
 * checked by its own ChainWalk; verdictOf then joins them in order — a range's first event must
 * follow the last of the range before it, by sequence number and by link — and names the same
 * first bad event, in the same words, as the sequential walk does. Hashing and encoding are most
 * of the cost and PostgreSQL does its part in its own processes, so the ranges use every core.
 *
 * Elsewhere (PGlite is one process; a caller's transaction has one connection), or with one
 * range, it is verifyAuditChain.
 */
export async function verifyAuditChainInParallel(db: Executor, options: ParallelVerifyOptions = {}): Promise<ChainVerdict> {
  const pool = poolOf(db);
  const wanted = Math.floor(options.ranges ?? Math.min(4, os.availableParallelism()));
  if (!pool || wanted < 2) return verifyAuditChain(db, options);
  const checkpoint = options.checkpoint ?? null;
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]!.id;
    const bounds = (await client.query<{ lo: string | null; hi: string | null }>("select min(seq)::text as lo, max(seq)::text as hi from audit_events")).rows[0]!;
    if (bounds.lo === null || bounds.hi === null) {
      await client.query("commit");
      return verdictOf([], checkpoint);
    }
    const ranges = splitRange(Number(bounds.lo), Number(bounds.hi), wanted);
    const connection = connectionOf(pool);
    // This thread walks the first range in the exporting transaction itself while the workers walk the rest.
    const mine = (async () => {
      const walk = new ChainWalk(null, checkpoint);
      await walkByCopy(client, ranges[0]!, walk);
      return walk.result;
    })();
    const theirs = ranges.slice(1).map((range) => runWorker({ connection, snapshot, range, checkpoint }));
    const results = await Promise.all([mine, ...theirs]);
    await client.query("commit");
    return verdictOf(results, checkpoint);
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** lo…hi cut into at most `parts` consecutive ranges of (nearly) equal width. */
export function splitRange(lo: number, hi: number, parts: number): { lo: number; hi: number }[] {
  const width = Math.max(1, Math.ceil((hi - lo + 1) / parts));
  const ranges: { lo: number; hi: number }[] = [];
  for (let start = lo; start <= hi; start += width) ranges.push({ lo: start, hi: Math.min(hi, start + width - 1) });
  return ranges;
}

/** The pool's connection settings a worker needs for a connection of its own (plain values only: they cross to the thread). */
function connectionOf(pool: pg.Pool): pg.ClientConfig {
  const options = pool.options as pg.PoolConfig;
  const config: pg.ClientConfig = {};
  if (typeof options.connectionString === "string") config.connectionString = options.connectionString;
  if (typeof options.host === "string") config.host = options.host;
  if (typeof options.port === "number") config.port = options.port;
  if (typeof options.user === "string") config.user = options.user;
  if (typeof options.password === "string") config.password = options.password;
  if (typeof options.database === "string") config.database = options.database;
  if (typeof options.ssl === "boolean") config.ssl = options.ssl;
  return config;
}

function runWorker(task: RangeTask): Promise<WalkResult> {
  return new Promise((resolve, reject) => {
    // The entry registers tsx in the thread (Node 20 does not pass the loader on), then loads verify-worker.ts.
    const worker = new Worker(new URL("./verify-worker-entry.mjs", import.meta.url), { workerData: task, execArgv: [] });
    let settled = false;
    worker.once("message", (outcome: RangeOutcome) => {
      settled = true;
      if (outcome.ok) resolve(outcome.result);
      else reject(new Error(`verifying events ${task.range.lo}–${task.range.hi}: ${outcome.error}`));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the verification worker for events ${task.range.lo}–${task.range.hi} stopped (exit ${code}) without an answer`));
    });
  });
}
