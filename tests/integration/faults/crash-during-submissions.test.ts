import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { fixedClock } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/types";
import { seedDemo } from "@/lib/demo/seed-demo";
import { createCliDatabase, repoRoot, runPortal, type CliDatabase } from "../../support/cli";

/**
 * Faults (issue 11): the process serving submissions is killed with SIGKILL — no shutdown,
 * no rollback, no flush — in the middle of a burst, on the embedded database (a data folder on
 * disk, as the server uses it) and on PostgreSQL. Every submission the process acknowledged
 * must exist exactly once afterwards, every request that exists must have its audit event
 * (nothing half-written), and `portal audit verify` must pass. Then the same path, started
 * again on the same database, carries on.
 */

const burstScript = path.join(repoRoot, "tests/integration/faults/submit-burst.ts");
const ACKS_BEFORE_KILL = 12;

/** One CLI run: seconds normally, minutes on a machine busy with other work. */
const CLI_RUN_MS = 150_000;

let database: CliDatabase;

function open(): Promise<DatabaseHandle> {
  return openDatabase(database.env.DATABASE_URL ? { url: database.env.DATABASE_URL } : { dataDir: database.env.PORTAL_DATA_DIR });
}

beforeAll(async () => {
  database = await createCliDatabase();
  const handle = await open();
  try {
    await migrateDatabase(handle);
    const secretsKey = Buffer.from(process.env.PORTAL_SECRETS_KEY!, "base64");
    await seedDemo({ db: handle.db, config: getConfig(), clock: fixedClock(new Date()), secretsKey });
    // Licences are not what this test is about: let every submission take one.
    await handle.db.execute(sql`update licence_allocations set allocation = 100000`);
  } finally {
    await handle.close();
  }
}, 120_000);

afterAll(async () => {
  await database?.dispose();
});

interface Burst {
  acked: Map<number, string>;
  refused: string[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/** Runs the burst in a child process; kills it with SIGKILL after `killAfter` acknowledgements (or lets it finish). */
function runBurst(prefix: string, options: { killAfter?: number; max: number }): Promise<Burst> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", burstScript], {
    cwd: repoRoot,
    env: { ...process.env, ...database.env, BURST_PREFIX: prefix, BURST_MAX: String(options.max), BURST_CONCURRENCY: "4" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const acked = new Map<number, string>();
  const refused: string[] = [];
  let stderr = "";
  let pending = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, n, detail] = line.split(" ");
      if (kind === "ACK") acked.set(Number(n), detail!);
      if (kind === "REFUSED") refused.push(line);
      if (options.killAfter !== undefined && acked.size >= options.killAfter && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the burst did not finish in time; ${acked.size} acknowledged\n${stderr}`));
    }, 90_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (options.killAfter === undefined && code !== 0) reject(new Error(`the burst failed (exit ${code}):\n${stderr}`));
      else resolve({ acked, refused, exit: { code, signal } });
    });
  });
}

async function check(handle: DatabaseHandle, prefix: string, acked: Map<number, string>) {
  const rows = await queryRows<{ email: string; reference: string; audited: string }>(
    handle.db,
    sql`select r.payload::text as email, 'REQ-' || lpad(r.number::text, 6, '0') as reference,
          (select count(*) from audit_events a where a.request_id = r.id and a.action = 'request.submitted')::text as audited
        from requests r where r.payload::text like ${`%burst.${prefix}.%`}`,
  );
  const byNumber = new Map<number, { reference: string; count: number }>();
  for (const row of rows) {
    const n = Number(new RegExp(`burst\\.${prefix}\\.(\\d+)@`).exec(row.email)?.[1]);
    const seen = byNumber.get(n);
    byNumber.set(n, { reference: row.reference, count: (seen?.count ?? 0) + 1 });
    // Nothing half-written: a request that exists has its audit event, once.
    expect(row.audited, `${row.reference} has ${row.audited} request.submitted events`).toBe("1");
  }
  for (const [n, reference] of acked) {
    expect(byNumber.get(n), `acknowledged submission ${n} (${reference})`).toEqual({ reference, count: 1 });
  }
  // Submissions in flight at the kill either committed whole (above) or left nothing.
  for (const [, entry] of byNumber) expect(entry.count).toBe(1);
  return { stored: rows.length };
}

describe("kill -9 in the middle of a burst of submissions", () => {
  it("UAP-4.4 every acknowledged submission exists exactly once, nothing is half-written, and the audit chain verifies", async () => {
    const burst = await runBurst("crash", { killAfter: ACKS_BEFORE_KILL, max: 10_000 });
    expect(burst.exit.signal).toBe("SIGKILL");
    expect(burst.refused).toEqual([]);
    expect(burst.acked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    // "Restart": the database is opened again by a new process (the embedded folder's lock
    // was left by the killed process and is taken over).
    const handle = await open();
    try {
      const { stored } = await check(handle, "crash", burst.acked);
      expect(stored).toBeGreaterThanOrEqual(burst.acked.size);
      expect((await verifyAuditChain(handle.db)).ok).toBe(true);
    } finally {
      await handle.close();
    }

    // The submit path works again on the same database, and the operator's check passes.
    const after = await runBurst("after", { max: 8 });
    expect(after.acked.size).toBe(8);
    const reopened = await open();
    try {
      await check(reopened, "after", after.acked);
      await check(reopened, "crash", burst.acked);
    } finally {
      await reopened.close();
    }
    const verify = await runPortal(["audit", "verify", "--json"], { env: database.env, timeoutMs: CLI_RUN_MS });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.json<{ ok: boolean }>().ok).toBe(true);
  }, 400_000);
});

// Files this test leaves (the embedded folder) go with the database.
afterAll(async () => {
  if (database?.kind === "pglite") await rm(database.location, { recursive: true, force: true });
});
