import os from "node:os";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import type { Executor } from "../db/types";
import { ChainWalk, type WalkResult } from "./chain-walk";
import { walkByCopy } from "./copy-walk";
import { poolOf, verdictOf, verifyAuditChain, type ChainVerdict, type VerifyOptions } from "./verify-chain";
import type { WorkerOrder, WorkerReport, WorkerTask } from "./verify-worker";

export interface ParallelVerifyOptions extends VerifyOptions {
  /**
   * How many ranges the chain is cut into (default: one per 25,000 events or so, at least one per
   * thread, at most 256); fewer than 2 is the sequential walk.
   */
  ranges?: number;
  /** How many ranges are walked at once: this thread and a worker thread for each other (default: one per CPU core, at most 4). */
  threads?: number;
}

const EVENTS_PER_RANGE = 25_000;
const MAX_RANGES = 256;

/**
 * verifyAuditChain split over worker threads (the CLI's `portal audit verify` and bench/queue).
 * On a PostgreSQL server the chain's sequence numbers are cut into ranges, each read with COPY
 * in one exported snapshot (so all see the same chain) and checked by its own ChainWalk;
 * verdictOf then joins them in order — a range's first event must follow the last of the range
 * before it, by sequence number and by link — and names the same first bad event, in the same
 * words, as the sequential walk does. Hashing and encoding are most of the cost and PostgreSQL
 * does its part in its own processes, so the threads use every core.
 *
 * The ranges are many and small, and each thread takes the next one when it has finished its
 * last (this thread on the exporting connection, each worker on its own), so a worker that
 * starts late (loading its modules takes a quarter of a second) or a core that is busy elsewhere
 * leaves no thread waiting for another at the end. Ranges after one holding a bad event are not
 * read: the verdict stops there.
 *
 * Elsewhere (PGlite is one process; a caller's transaction has one connection), or with one
 * range or thread, it is verifyAuditChain.
 */
export async function verifyAuditChainInParallel(db: Executor, options: ParallelVerifyOptions = {}): Promise<ChainVerdict> {
  const pool = poolOf(db);
  const threads = Math.floor(options.threads ?? Math.min(4, os.availableParallelism()));
  const fixedRanges = options.ranges === undefined ? null : Math.floor(options.ranges);
  if (!pool || threads < 2 || (fixedRanges !== null && fixedRanges < 2)) return verifyAuditChain(db, options);
  const checkpoint = options.checkpoint ?? null;
  const client = await pool.connect();
  let broken = false;
  const workers: Worker[] = [];
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]!.id;
    const bounds = (await client.query<{ lo: string | null; hi: string | null }>("select min(seq)::text as lo, max(seq)::text as hi from audit_events")).rows[0]!;
    if (bounds.lo === null || bounds.hi === null) {
      await client.query("commit");
      return verdictOf([], checkpoint);
    }
    const lo = Number(bounds.lo);
    const hi = Number(bounds.hi);
    const ranges = splitRange(lo, hi, fixedRanges ?? Math.min(MAX_RANGES, Math.max(threads, Math.ceil((hi - lo + 1) / EVENTS_PER_RANGE))));
    const queue = new RangeQueue(ranges);
    const connection = connectionOf(pool);
    const theirs = Array.from({ length: Math.min(threads, ranges.length) - 1 }, () => runWorker({ connection, snapshot, checkpoint }, queue, workers));
    // This thread walks ranges in the exporting transaction itself while the workers start and walk others.
    const mine = (async () => {
      for (let index = queue.take(); index !== null; index = queue.take()) {
        const walk = new ChainWalk(null, checkpoint);
        await walkByCopy(client, ranges[index]!, walk);
        queue.record(index, walk.result);
      }
    })();
    await Promise.all([mine, ...theirs]);
    await client.query("commit");
    return verdictOf(queue.results(), checkpoint);
  } catch (error) {
    broken = true;
    // A worker waiting for its next range would keep the process alive.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The ranges not yet walked, handed out in order, and the results of those walked. */
class RangeQueue {
  private next = 0;
  /** The first range found to hold a bad event: no range after it is needed. */
  private firstBad = Number.POSITIVE_INFINITY;
  private readonly walked: WalkResult[] = [];

  constructor(readonly ranges: { lo: number; hi: number }[]) {}

  take(): number | null {
    return this.next < this.ranges.length && this.next <= this.firstBad ? this.next++ : null;
  }

  record(index: number, result: WalkResult): void {
    this.walked[index] = result;
    if (result.failure && index < this.firstBad) this.firstBad = index;
  }

  /** The results in chain order, up to the first range with a bad event (all of them walked by then). */
  results(): WalkResult[] {
    const results = this.walked.slice(0, Math.min(this.ranges.length, this.firstBad + 1));
    if (results.length !== Math.min(this.ranges.length, this.firstBad + 1) || results.some((r) => r === undefined)) throw new Error("a verification range was not walked");
    return results;
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

/** One worker thread walking ranges from the queue until none is left; resolves when it has ended cleanly. */
function runWorker(task: WorkerTask, queue: RangeQueue, workers: Worker[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // The entry registers tsx in the thread (Node 20 does not pass the loader on), then loads verify-worker.ts.
    const worker = new Worker(new URL("./verify-worker-entry.mjs", import.meta.url), { workerData: task, execArgv: [] });
    workers.push(worker);
    let settled = false;
    let current: number | null = null;
    const describe = () => (current === null ? "the verification worker" : `verifying events ${queue.ranges[current]!.lo}–${queue.ranges[current]!.hi}`);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const order = () => {
      current = queue.take();
      worker.postMessage((current === null ? { index: null } : { index: current, range: queue.ranges[current]! }) satisfies WorkerOrder);
    };
    worker.on("message", (report: WorkerReport) => {
      if (report.kind === "ready") return order();
      if (report.kind === "result") {
        queue.record(report.index, report.result);
        return order();
      }
      if (report.kind === "done" && current === null) {
        settled = true;
        resolve();
        // Its connection is closed; tsx's loader would keep the thread alive.
        void worker.terminate();
        return;
      }
      fail(new Error(`${describe()}: ${report.kind === "error" ? report.error : "the worker stopped early"}`));
    });
    worker.once("error", fail);
    worker.once("exit", (code) => fail(new Error(`${describe()}: the worker stopped (exit ${code}) without an answer`)));
  });
}
